"""The views only the intake benchmark serves.

* ``insert_one`` — the floor: the least a Django view can do to store a request.
  It parses the same JSON body the API receives and inserts one row through the
  ORM into a table the benchmark creates (``bench_intake_row``); no
  authentication, no validation, no transaction beyond autocommit.
"""

from __future__ import annotations

import json

from django.db import models
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_intake_row (
    id bigserial PRIMARY KEY,
    title varchar(100) NOT NULL,
    description text NOT NULL,
    created_at timestamptz NOT NULL
)
"""


class BenchRow(models.Model):
    title = models.CharField(max_length=100)
    description = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "bench"  # not an installed app: the table exists only in the bench database
        managed = False
        db_table = "bench_intake_row"

    def __str__(self) -> str:
        return self.title


@csrf_exempt
@require_POST
def insert_one(request):
    body = json.loads(request.body or b"{}")
    row = BenchRow.objects.create(
        title=body.get("title", "")[:100], description=body.get("description", "")
    )
    return JsonResponse({"id": row.pk}, status=201)
