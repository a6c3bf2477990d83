"""接入账号 from the command line: create, rotate, revoke, list (the same audited services as the admin).

    manage.py integration_account create "12345热线"               # files against any agency
    manage.py integration_account create "市场监管业务系统" --agency G-SCJG   # also reads that agency's cases
    manage.py integration_account rotate ID
    manage.py integration_account revoke ID
    manage.py integration_account list

``create`` and ``rotate`` print the token once; it is not stored anywhere it could be
shown again. The audit rows of a command have no actor (it runs on the server).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from complaints.integrations import accounts
from complaints.models import IntegrationAccount
from efficiency_portal.errors import ApplicationError
from organizations.models import Agency


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "-"


class Command(BaseCommand):
    help = "Create, rotate, revoke or list integration accounts (API tokens, Open311 api_key)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="a new account; prints its token once")
        create.add_argument("name", help="the connected system's name")
        create.add_argument("--agency", help="agency code: the account also reads its cases")
        for name, text in (("rotate", "a new token; the old one stops at once"),
                           ("revoke", "withdraw the account and its token")):  # fmt: skip
            action = sub.add_parser(name, help=text)
            action.add_argument("id", type=int, help="the account's id (see list)")
        sub.add_parser("list", help="every account, with when it was last used")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except ApplicationError as exc:
            raise CommandError(exc.message) from None

    def _create(self, *, name, agency=None, **options):
        found = None
        if agency:
            found = Agency.objects.filter(code=agency, is_active=True).first()
            if found is None:
                raise CommandError(f"no active agency with code {agency!r}")
        token = accounts.integration_account_create(actor=None, name=name, agency=found)
        account = token.user.integration_account
        self.stdout.write(f"created account {account.pk} ({account.name}); token, shown once:")
        self.stdout.write(token.key)

    def _account(self, pk: int) -> IntegrationAccount:
        account = IntegrationAccount.objects.filter(pk=pk).first()
        if account is None:
            raise CommandError(f"no integration account with id {pk}")
        return account

    def _rotate(self, *, id, **options):
        token = accounts.integration_account_rotate(actor=None, account=self._account(id))
        self.stdout.write(
            f"rotated account {id}; the old token no longer works. New token, shown once:"
        )
        self.stdout.write(token.key)

    def _revoke(self, *, id, **options):
        account = accounts.integration_account_revoke(actor=None, account=self._account(id))
        self.stdout.write(f"revoked account {account.pk} ({account.name})")

    def _list(self, **options):
        rows = IntegrationAccount.objects.select_related("agency", "user").order_by("pk")
        for account in rows:
            self.stdout.write(
                "\t".join(
                    [
                        str(account.pk),
                        account.name,
                        account.agency.code if account.agency else "-",
                        "revoked" if account.is_revoked else "active",
                        f"last used {_when(account.last_used_at)}",
                    ]
                )
            )
