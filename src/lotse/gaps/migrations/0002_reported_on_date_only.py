import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    """Keep only the day a gap report was written, and no reporter for reports from a case
    conference: a timestamp or a name next to the access log would link a report to a person."""

    dependencies = [
        ("gaps", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField("gapreport", "reported_at", "reported_on"),
        migrations.AlterField("gapreport", "reported_on", models.DateField(auto_now_add=True)),
        migrations.AlterField(
            "gapreport", "reported_by",
            models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                              related_name="+", to=settings.AUTH_USER_MODEL),
        ),
        migrations.AlterModelOptions("gapreport", {
            "ordering": ["-reported_on", "-id"], "verbose_name": "gap report",
            "verbose_name_plural": "gap reports"}),
    ]
