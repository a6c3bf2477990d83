"""The views only the intake benchmark serves.

* ``insert_one`` — the floor: the least a Django view can do to store a request.
  It parses the same JSON body the API receives and inserts one row through the
  ORM into a table the benchmark creates (``bench_intake_row``); no
  authentication, no validation, no transaction beyond autocommit.
* ``inbox_intake`` — a prototype of an asynchronous intake, to measure what that
  design would buy before anyone builds it: the API's authentication and
  validation (serializer + the service's contact checks), then one statement that
  takes the tracking number and stores the validated payload in an inbox row; a
  worker would file it through ``complaint_submit`` later. Not a product path.
"""

from __future__ import annotations

import json

from django.db import connection, models
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from complaints import numbers
from complaints.api.accounts import may_file
from complaints.api.auth import IntegrationTokenAuthentication
from complaints.api.serializers import ComplaintCreateSerializer
from complaints.intake_checks import check_phone_and_email, clean_contact
from efficiency_portal.errors import ApplicationError

TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_intake_row (
    id bigserial PRIMARY KEY,
    title varchar(100) NOT NULL,
    description text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE IF NOT EXISTS bench_intake_inbox (
    serial bigint PRIMARY KEY DEFAULT nextval('complaints_tracking_seq'),
    payload jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
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


class InboxIntake(APIView):
    authentication_classes = [IntegrationTokenAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        if not may_file(request.user):
            return Response(status=403)
        form = ComplaintCreateSerializer(data=request.data)
        if not form.is_valid():
            return Response({"code": "invalid", "errors": form.errors}, status=400)
        data = form.validated_data
        try:
            name, phone, _id_number, email = clean_contact(
                anonymous=data["anonymous"],
                name=data.get("complainant_name", ""),
                phone=data.get("complainant_phone", ""),
                id_number=data.get("complainant_id_number", ""),
                email=data.get("complainant_email", ""),
            )
            check_phone_and_email(phone, email)
        except ApplicationError as exc:
            return Response({"code": exc.code, "errors": exc.as_field_errors()}, status=400)
        payload = {
            "category": data["category"].pk,
            "agency": data["agency"].pk,
            "title": data["title"],
            "description": data["description"],
            "name": name,
            "phone": phone,
            "email": email,
            "key": request.headers.get("Idempotency-Key", ""),
        }
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO bench_intake_inbox (payload) VALUES (%s) RETURNING serial",
                [json.dumps(payload, ensure_ascii=False)],
            )
            (serial,) = cursor.fetchone()
        year = timezone.localdate().year
        tracking_no = f"XN-{year}-{serial:06d}-{numbers.check_digit(f'{year}{serial:06d}')}"
        return Response(
            {"tracking_no": tracking_no, "query_code": numbers.new_query_code()}, status=201
        )


inbox_intake = InboxIntake.as_view()
