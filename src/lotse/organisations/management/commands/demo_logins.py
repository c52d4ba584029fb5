"""Show the demo logins created by `lotse seed`: username, role, agency, the shared demo
password, the TOTP secret for an authenticator app and the current 6-digit code.

The demo keys are derived from the username (`kreis_dueren.demo_totp_key`), so they are well
known: this is for demonstrations only; `lotse seed` creates these users in the demo district.
"""

import time
from base64 import b32encode
from binascii import unhexlify

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from lotse.organisations.kreis_dueren import DEMO_PASSWORD, DEMO_USERS
from lotse.organisations.models import StaffTOTPDevice, StaffUser


def base32_secret(hex_key: str) -> str:
    return b32encode(unhexlify(hex_key)).decode("ascii").rstrip("=")


def current_code(device: StaffTOTPDevice, at: float | None = None) -> str:
    """The device's 6-digit code now (or at the Unix time `at`), zero-padded."""
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at is not None:
        generator.time = at
    return f"{generator.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "List the demo logins (shared password, TOTP secret and the current one-time code)."

    def handle(self, *args, **options):
        usernames = [spec[0] for spec in DEMO_USERS]
        users = {
            u.username: u
            for u in StaffUser.objects.filter(username__in=usernames)
            .select_related("agency").prefetch_related("roles")
        }
        if not users:
            self.stdout.write("No demo users found. Create them with: lotse seed --scale demo")
            return
        devices = {
            d.user_id: d
            for d in StaffTOTPDevice.objects.filter(user__in=users.values(), confirmed=True)
            .order_by("id")
        }
        rows = []
        for username in usernames:
            user = users.get(username)
            if user is None:
                continue
            device = devices.get(user.pk)
            roles = ", ".join(sorted(r.code for r in user.roles.all()))
            agency = user.agency.short_name or user.agency.name if user.agency else "–"
            secret = base32_secret(device.bin_key.hex()) if device else "–"
            code = current_code(device) if device else "–"
            rows.append((username, roles, agency, secret, code))
        headers = ("Benutzername", "Rolle", "Stelle", "TOTP-Secret (Base32)", "Code")
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(line.format(*headers))
        self.stdout.write("  ".join("-" * w for w in widths))
        for row in rows:
            self.stdout.write(line.format(*row))
        remaining = 30 - int(time.time()) % 30
        self.stdout.write("")
        self.stdout.write(f"Passwort für alle Demo-Zugänge: {DEMO_PASSWORD}  (nur Demo!)")
        self.stdout.write(
            f"Die Codes wechseln alle 30 Sekunden (dieser gilt noch {remaining} s); "
            "neu anzeigen mit: lotse demo_logins"
        )
        self.stdout.write("Oder das Base32-Secret in eine Authenticator-App eintragen "
                          "(TOTP, SHA1, 6 Stellen, 30 s).")
        self.stdout.write("Öffentlicher Wegweiser für Neuzugewanderte (ohne Anmeldung): /wegweiser/")
