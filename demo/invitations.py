"""Demo invitations: the program's staff imported an association's member list. Twelve rows: nine companies
invited (their emails wait in the outbox), one already registered in the program, one with a bad email and one
repeating an earlier row. Idempotent: nothing is added when the program already has an import."""

from __future__ import annotations

import csv
import io
import random

from programs.models import Program
from suppliers.models import InvitationImport, Supplier
from suppliers.services import invitations_import

FILE_NAME = "socios-cluster-automotriz-guanajuato.csv"
MEMBERS = (
    ("Troqueles y Estampados de Celaya", "Guanajuato"),
    ("Fundiciones Finas del Bajío", "GUA"),
    ("Maquinados de Precisión Silao", "11"),
    ("Recubrimientos Industriales León", "Guanajuato"),
    ("Hules y Empaques de Irapuato", "Guanajuato"),
    ("Arneses Eléctricos Salamanca", "Guanajuato"),
    ("Plásticos Inyectados de Querétaro", "Querétaro"),
    ("Resortes y Alambres de Aguascalientes", "AGU"),
    ("Tratamientos Térmicos de San Luis", "San Luis Potosí"),
)


def seed_invitations(program: Program, staff, *, rng: random.Random, log=print) -> int:
    """Import the demo member list as ``staff``; how many companies were invited."""
    from .builder import make_rfc

    if InvitationImport.objects.filter(program=program).exists():
        return 0
    rows = [["RFC", "Razón social", "Correo electrónico", "Estado"]]
    for index, (name, state) in enumerate(MEMBERS, start=1):
        email = f"compras{index}@socio.example.mx"
        rows.append([make_rfc(rng, name, 1985 + index), f"{name}, S.A. de C.V.", email, state])
    registered = Supplier.objects.filter(program=program, status=Supplier.Status.VERIFIED).order_by("pk").first()
    if registered is not None:
        rows.append([registered.rfc, registered.legal_name, "contacto@registrada.example.mx", "Guanajuato"])
    rows.append([make_rfc(rng, "Forjas del Centro", 1990), "Forjas del Centro", "ventas-forjas.example.mx", "GUA"])
    rows.append([rows[1][0], rows[1][1], "ventas1@socio.example.mx", "Guanajuato"])  # the first member again
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    record = invitations_import(actor=staff, program=program, file_name=FILE_NAME, data=text.getvalue().encode())
    log(f"  member list: {record.invited} invited, {record.invalid} with problems")
    return record.invited
