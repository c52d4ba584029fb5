"""TOTP codes valid for their own 30-second step only (ASVS 6.5.5): existing devices too."""

from django.db import migrations


def own_step_only(apps, schema_editor):
    apps.get_model("otp_totp", "TOTPDevice").objects.update(tolerance=0)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_role_district"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(own_step_only, migrations.RunPython.noop)]
