"""One company per RFC, made of its participations: the data of the one most recently verified (else the
most recently sent, else the newest), which every participation of the RFC then copies. An erased
individual's placeholder RFC is not an RFC: each such participation gets a company of its own."""

from django.db import migrations

ERASED_RFC = "XXXX000000XXX"
SHARED = (
    "rfc",
    "rfc_checksum_valid",
    "person_type",
    "legal_name",
    "trade_name",
    "state_id",
    "municipality",
    "scian_code",
    "sector",
    "year_founded",
)


def forwards(apps, schema_editor):
    columns = ", ".join(SHARED)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO suppliers_company (created_at, updated_at, {columns}) "
            f"SELECT DISTINCT ON (rfc) now(), now(), {columns} FROM suppliers_supplier WHERE rfc <> %s "
            "ORDER BY rfc, (status = 'verified') DESC, verified_at DESC NULLS LAST, "
            "(status = 'submitted') DESC, submitted_at DESC NULLS LAST, id DESC",
            [ERASED_RFC],
        )
        cursor.execute(
            "UPDATE suppliers_supplier s SET company_id = c.id FROM suppliers_company c WHERE c.rfc = s.rfc",
        )
        cursor.execute("SELECT id FROM suppliers_supplier WHERE company_id IS NULL ORDER BY id")
        for (supplier_id,) in cursor.fetchall():
            cursor.execute(
                f"INSERT INTO suppliers_company (created_at, updated_at, {columns}) "
                f"SELECT now(), now(), {columns} FROM suppliers_supplier WHERE id = %s RETURNING id",
                [supplier_id],
            )
            (company_id,) = cursor.fetchone()
            cursor.execute("UPDATE suppliers_supplier SET company_id = %s WHERE id = %s", [company_id, supplier_id])
        copied = ", ".join(f"{name} = c.{name}" for name in SHARED if name != "rfc")
        cursor.execute(
            f"UPDATE suppliers_supplier s SET {copied} FROM suppliers_company c "
            f"WHERE c.id = s.company_id AND c.rfc <> %s",
            [ERASED_RFC],
        )


class Migration(migrations.Migration):
    dependencies = [("suppliers", "0012_company")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
