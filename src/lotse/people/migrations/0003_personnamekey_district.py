"""Name keys carry the person's district, so the tolerant search reads only its own district's
keys (issue 8: at state scale a common key is shared by persons of all 53 districts)."""

import django.db.models.deletion
from django.db import migrations, models


def copy_districts(apps, schema_editor):
    table = apps.get_model("people", "PersonNameKey")._meta.db_table
    persons = apps.get_model("people", "Person")._meta.db_table
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"UPDATE {quote(table)} SET {quote('district_id')} = (SELECT {quote('district_id')} "  # noqa: S608  # nosec B608 - table names from the models
        f"FROM {quote(persons)} WHERE {quote(persons)}.{quote('id')} = {quote(table)}.{quote('person_id')})"
    )


class Migration(migrations.Migration):

    dependencies = [
        ("organisations", "0001_initial"),
        ("people", "0002_person_interpreter_needed"),
    ]

    operations = [
        migrations.AddField(
            model_name="personnamekey",
            name="district",
            field=models.ForeignKey(db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="organisations.district"),
        ),
        migrations.RunPython(copy_districts, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="personnamekey",
            name="district",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="organisations.district"),
        ),
        migrations.RemoveIndex(model_name="personnamekey", name="people_pers_key_f35c57_idx"),
        migrations.AddIndex(
            model_name="personnamekey",
            index=models.Index(fields=["district", "key", "person"], name="personnamekey_district_key"),
        ),
    ]
