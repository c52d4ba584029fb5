"""TOTP seeds sealed at rest (ASVS 13.3.1): the proxy every device goes through, and the seeds
of existing devices sealed with the key outside the database (organisations/totp_seeds.py)."""

from django.db import migrations


def seal_existing_seeds(apps, schema_editor):
    from lotse.organisations.totp_seeds import is_sealed, seal

    devices = apps.get_model("otp_totp", "TOTPDevice").objects.using(schema_editor.connection.alias)
    for device in devices.only("pk", "key"):
        if not is_sealed(device.key):
            devices.filter(pk=device.pk).update(key=seal(device.key))


def open_seeds(apps, schema_editor):
    from lotse.organisations.totp_seeds import is_sealed, unseal

    devices = apps.get_model("otp_totp", "TOTPDevice").objects.using(schema_editor.connection.alias)
    for device in devices.only("pk", "key"):
        if is_sealed(device.key):
            devices.filter(pk=device.pk).update(key=unseal(device.key).hex())


class Migration(migrations.Migration):

    dependencies = [
        ('organisations', '0004_totp_tolerance'),
        ('otp_totp', '0003_add_timestamps'),
    ]

    operations = [
        migrations.CreateModel(
            name='StaffTOTPDevice',
            fields=[
            ],
            options={
                'verbose_name': 'TOTP device (sealed seed)',
                'proxy': True,
                'indexes': [],
                'constraints': [],
            },
            bases=('otp_totp.totpdevice',),
        ),
        migrations.RunPython(seal_existing_seeds, open_seeds),
    ]
