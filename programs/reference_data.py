"""Reference data of the program: regions, states, certifications, anchors and supply areas.

Pure Python (no Django import): the seed command loads these into the database and
validation and tests read them directly. Everything here is *default data*, meant to be
edited by program staff once loaded (regions, weights and requirements are data, not code).

Sources
-------
- States: INEGI, Catálogo Único de Claves de Áreas Geoestadísticas Estatales (codes 01-32).
  Abbreviations are the ISO 3166-2:MX subdivision codes without the ``MX-`` prefix
  (AGU, BCN, ..., CMX for Ciudad de México since 2016): one complete, documented set of
  three-letter codes.
- Regional split of auto-parts production: Industria Nacional de Autopartes (INA),
  January-July 2024 (US$73,303 million): Norte 43.3 %, Bajío 36 %, Centro 15.6 %, resto
  5.1 %; the main producing states (Coahuila, Guanajuato, Nuevo León, Chihuahua and
  Querétaro) made 58.1 % of the value.
- Program: INA-IFC Supplier Development Program, first phase with 16 anchor companies
  that identified 35 critical supply areas. The real anchor list is not public, so the
  anchors below are FICTIONAL (invented names, no real trademarks); the supply areas are
  real auto-parts commodities with real SCIAN 2023 codes.
"""

from decimal import Decimal
from typing import NamedTuple

# ---------------------------------------------------------------------------
# Regions
# ---------------------------------------------------------------------------


class Region(NamedTuple):
    code: str
    name_es: str
    name_en: str


REGIONS: tuple[Region, ...] = (
    Region("norte", "Norte", "North"),
    Region("bajio", "Bajío", "Bajío"),
    Region("centro", "Centro", "Central Mexico"),
    Region("resto", "Resto del país", "Rest of the country"),
)

# INA: share (%) of auto-parts production value by region, January-July 2024.
INA_REGION_PRODUCTION_SHARE: dict[str, Decimal] = {
    "norte": Decimal("43.3"),
    "bajio": Decimal("36.0"),
    "centro": Decimal("15.6"),
    "resto": Decimal("5.1"),
}

# INA: the five main producing states (INEGI codes), 58.1 % of auto-parts value together.
INA_MAIN_PRODUCING_STATES: tuple[str, ...] = ("05", "11", "19", "08", "22")
INA_MAIN_PRODUCING_STATES_SHARE = Decimal("58.1")

# ---------------------------------------------------------------------------
# States (INEGI entidades federativas)
# ---------------------------------------------------------------------------


class State(NamedTuple):
    code: str  # INEGI two-digit code
    name: str  # official name (INEGI catalogue)
    short_name: str  # common name
    abbreviation: str  # ISO 3166-2:MX code without "MX-"
    region: str  # code of a REGIONS entry


# Region assignment (configurable defaults, editable once seeded):
# - norte: the six border states plus Durango (its Gómez Palacio-Lerdo side of the
#   Comarca Lagunera is one industrial area with Torreón, Coahuila).
# - bajio: the Bajío/Centro-Occidente auto corridor: Aguascalientes, Guanajuato,
#   Querétaro, San Luis Potosí, Jalisco and Zacatecas (linked to the Aguascalientes
#   and San Luis Potosí clusters).
# - centro: Ciudad de México and the surrounding states with assembly plants and
#   suppliers: México, Puebla, Tlaxcala, Hidalgo and Morelos.
# - resto: every other state, including Baja California Sur and Sinaloa (northern by
#   geography but with very little auto-parts production) and Michoacán.
STATES: tuple[State, ...] = (
    State("01", "Aguascalientes", "Aguascalientes", "AGU", "bajio"),
    State("02", "Baja California", "Baja California", "BCN", "norte"),
    State("03", "Baja California Sur", "Baja California Sur", "BCS", "resto"),
    State("04", "Campeche", "Campeche", "CAM", "resto"),
    State("05", "Coahuila de Zaragoza", "Coahuila", "COA", "norte"),
    State("06", "Colima", "Colima", "COL", "resto"),
    State("07", "Chiapas", "Chiapas", "CHP", "resto"),
    State("08", "Chihuahua", "Chihuahua", "CHH", "norte"),
    State("09", "Ciudad de México", "Ciudad de México", "CMX", "centro"),
    State("10", "Durango", "Durango", "DUR", "norte"),
    State("11", "Guanajuato", "Guanajuato", "GUA", "bajio"),
    State("12", "Guerrero", "Guerrero", "GRO", "resto"),
    State("13", "Hidalgo", "Hidalgo", "HID", "centro"),
    State("14", "Jalisco", "Jalisco", "JAL", "bajio"),
    State("15", "México", "Estado de México", "MEX", "centro"),
    State("16", "Michoacán de Ocampo", "Michoacán", "MIC", "resto"),
    State("17", "Morelos", "Morelos", "MOR", "centro"),
    State("18", "Nayarit", "Nayarit", "NAY", "resto"),
    State("19", "Nuevo León", "Nuevo León", "NLE", "norte"),
    State("20", "Oaxaca", "Oaxaca", "OAX", "resto"),
    State("21", "Puebla", "Puebla", "PUE", "centro"),
    State("22", "Querétaro", "Querétaro", "QUE", "bajio"),
    State("23", "Quintana Roo", "Quintana Roo", "ROO", "resto"),
    State("24", "San Luis Potosí", "San Luis Potosí", "SLP", "bajio"),
    State("25", "Sinaloa", "Sinaloa", "SIN", "resto"),
    State("26", "Sonora", "Sonora", "SON", "norte"),
    State("27", "Tabasco", "Tabasco", "TAB", "resto"),
    State("28", "Tamaulipas", "Tamaulipas", "TAM", "norte"),
    State("29", "Tlaxcala", "Tlaxcala", "TLA", "centro"),
    State("30", "Veracruz de Ignacio de la Llave", "Veracruz", "VER", "resto"),
    State("31", "Yucatán", "Yucatán", "YUC", "resto"),
    State("32", "Zacatecas", "Zacatecas", "ZAC", "bajio"),
)

STATES_BY_CODE: dict[str, State] = {state.code: state for state in STATES}

# ---------------------------------------------------------------------------
# Demo distribution of SMEs by state
# ---------------------------------------------------------------------------

# Relative weights (per mille, they add up to 1000) used to spread the ~400 demo SMEs.
# Derivation: SMEs are spread in proportion to auto-parts production value (INA), an
# approximation good enough for demo data.
# 1. Region totals equal the INA regional shares x 10: norte 433, bajio 360, centro 156,
#    resto 51.
# 2. The five main producing states take 581 (58.1 %), ranked as INA lists them:
#    Coahuila 160, Guanajuato 130, Nuevo León 118, Chihuahua 105, Querétaro 68.
# 3. The rest of each region is split by the size of each state's auto-parts base
#    (clusters, plants): norte 50 = Tamaulipas 20, Sonora 12, Baja California 12,
#    Durango 6; bajio 162 = San Luis Potosí 60, Aguascalientes 50, Jalisco 44, Zacatecas 8;
#    centro 156 = Puebla 60, México 50, Hidalgo 16, Morelos 12, Tlaxcala 10, CDMX 8;
#    resto 51 = Veracruz 13, Yucatán 10, Michoacán 9, Sinaloa 5, Colima 3, Chiapas 2,
#    Oaxaca 2, Tabasco 2 and 1 each for Baja California Sur, Campeche, Guerrero,
#    Nayarit and Quintana Roo.
DEMO_STATE_WEIGHTS: dict[str, int] = {
    "01": 50,  # Aguascalientes
    "02": 12,  # Baja California
    "03": 1,  # Baja California Sur
    "04": 1,  # Campeche
    "05": 160,  # Coahuila
    "06": 3,  # Colima
    "07": 2,  # Chiapas
    "08": 105,  # Chihuahua
    "09": 8,  # Ciudad de México
    "10": 6,  # Durango
    "11": 130,  # Guanajuato
    "12": 1,  # Guerrero
    "13": 16,  # Hidalgo
    "14": 44,  # Jalisco
    "15": 50,  # México
    "16": 9,  # Michoacán
    "17": 12,  # Morelos
    "18": 1,  # Nayarit
    "19": 118,  # Nuevo León
    "20": 2,  # Oaxaca
    "21": 60,  # Puebla
    "22": 68,  # Querétaro
    "23": 1,  # Quintana Roo
    "24": 60,  # San Luis Potosí
    "25": 5,  # Sinaloa
    "26": 12,  # Sonora
    "27": 2,  # Tabasco
    "28": 20,  # Tamaulipas
    "29": 10,  # Tlaxcala
    "30": 13,  # Veracruz
    "31": 10,  # Yucatán
    "32": 8,  # Zacatecas
}

# ---------------------------------------------------------------------------
# Certification standards
# ---------------------------------------------------------------------------


class CertificationStandard(NamedTuple):
    code: str  # slug
    name: str
    description_es: str
    description_en: str


CERTIFICATION_STANDARDS: tuple[CertificationStandard, ...] = (
    CertificationStandard(
        "iso-9001",
        "ISO 9001",
        "Sistema de gestión de la calidad (ISO 9001:2015). Base para cualquier proveedor; los proveedores de "
        "herramentales, servicios y empaque que no pueden certificarse en IATF 16949 se evalúan con ella.",
        "Quality management system (ISO 9001:2015). The baseline for any supplier; tooling, service and "
        "packaging suppliers that cannot be IATF 16949 certified are assessed against it.",
    ),
    CertificationStandard(
        "iatf-16949",
        "IATF 16949",
        "Sistema de gestión de la calidad automotriz (IATF 16949:2016) del International Automotive Task Force; "
        "complementa ISO 9001 y exige las herramientas básicas (APQP, PPAP, AMEF, MSA, SPC) y los requisitos "
        "específicos de cada cliente. Aplica a sitios que fabrican piezas de producción o de servicio.",
        "Automotive quality management system (IATF 16949:2016) of the International Automotive Task Force; it "
        "supplements ISO 9001 and requires the core tools (APQP, PPAP, FMEA, MSA, SPC) and each customer's "
        "specific requirements. It applies to sites that make production or service parts.",
    ),
    CertificationStandard(
        "iso-14001",
        "ISO 14001",
        "Sistema de gestión ambiental (ISO 14001:2015): aspectos ambientales, requisitos legales, objetivos y "
        "control operacional. Solicitado por la mayoría de las armadoras.",
        "Environmental management system (ISO 14001:2015): environmental aspects, legal requirements, objectives "
        "and operational control. Requested by most automakers.",
    ),
    CertificationStandard(
        "iso-45001",
        "ISO 45001",
        "Sistema de gestión de seguridad y salud en el trabajo (ISO 45001:2018).",
        "Occupational health and safety management system (ISO 45001:2018).",
    ),
    CertificationStandard(
        "iso-iec-17025",
        "ISO/IEC 17025",
        "Competencia de laboratorios de ensayo y calibración (ISO/IEC 17025:2017); en México la acreditación la "
        "otorga la Entidad Mexicana de Acreditación (ema). IATF 16949 exige que los laboratorios externos estén "
        "acreditados con esta norma.",
        "Competence of testing and calibration laboratories (ISO/IEC 17025:2017); in Mexico accreditation is "
        "granted by the Entidad Mexicana de Acreditación (ema). IATF 16949 requires external laboratories to be "
        "accredited to it.",
    ),
    CertificationStandard(
        "vda-6-3",
        "VDA 6.3",
        "Auditoría de proceso de la asociación alemana de la industria automotriz (VDA). No es un certificado: "
        "es una evaluación con calificación A (90 % o más), B (80 % a menos de 90 %) o C, con reglas de "
        "degradación cuando una pregunta obtiene cero. Se registra aquí la calificación A o B vigente.",
        "Process audit of the German Association of the Automotive Industry (VDA). Not a certificate: a scored "
        "assessment rated A (90 % or more), B (80 % to under 90 %) or C, with downgrading rules when a question "
        "scores zero. Recorded here is a current A or B rating.",
    ),
    CertificationStandard(
        "iso-50001",
        "ISO 50001",
        "Sistema de gestión de la energía (ISO 50001:2018): línea base, indicadores de desempeño energético y "
        "mejora continua del consumo.",
        "Energy management system (ISO 50001:2018): energy baseline, energy performance indicators and continual "
        "improvement of consumption.",
    ),
    CertificationStandard(
        "industria-limpia",
        "Industria Limpia (PROFEPA)",
        "Certificado de Industria Limpia de la Procuraduría Federal de Protección al Ambiente, otorgado dentro del "
        "Programa Nacional de Auditoría Ambiental a instalaciones manufactureras que cumplen la normatividad "
        "ambiental y mejoran su desempeño.",
        "Clean Industry certificate of PROFEPA (the Mexican federal environmental protection agency), granted "
        "under the National Environmental Audit Program to manufacturing sites that comply with environmental "
        "regulations and improve their performance.",
    ),
    CertificationStandard(
        "iso-iec-27001",
        "ISO/IEC 27001",
        "Sistema de gestión de seguridad de la información (ISO/IEC 27001:2022).",
        "Information security management system (ISO/IEC 27001:2022).",
    ),
    CertificationStandard(
        "tisax",
        "TISAX",
        "Trusted Information Security Assessment Exchange (ENX Association, con base en el catálogo VDA ISA): "
        "evaluación de seguridad de la información, protección de prototipos y de datos que exigen las "
        "armadoras europeas a proveedores que manejan información confidencial.",
        "Trusted Information Security Assessment Exchange (ENX Association, based on the VDA ISA catalogue): "
        "assessment of information security, prototype protection and data protection that European automakers "
        "require from suppliers handling confidential information.",
    ),
    CertificationStandard(
        "oea",
        "Operador Económico Autorizado (OEA)",
        "Modalidad del Esquema de Certificación de Empresas del SAT para operaciones de comercio exterior seguras; "
        "agiliza el despacho aduanero y tiene reconocimiento mutuo con C-TPAT de Estados Unidos.",
        "Authorized Economic Operator, a modality of the Mexican tax authority's (SAT) company certification "
        "scheme for secure foreign trade; it speeds up customs clearance and is mutually recognised with the US "
        "C-TPAT program.",
    ),
    CertificationStandard(
        "iva-ieps",
        "Certificación en materia de IVA e IEPS",
        "Certificación del SAT (rubros A, AA o AAA) para empresas con programa IMMEX que permite acreditar el IVA "
        "e IEPS de importaciones temporales en lugar de pagarlos en efectivo.",
        "SAT certification (A, AA or AAA ratings) for companies with an IMMEX program, allowing VAT and IEPS on "
        "temporary imports to be offset by a tax credit instead of paid in cash.",
    ),
    CertificationStandard(
        "ctpat",
        "C-TPAT",
        "Customs Trade Partnership Against Terrorism de la Oficina de Aduanas y Protección Fronteriza de Estados "
        "Unidos (CBP); los fabricantes mexicanos que exportan a Estados Unidos pueden adherirse.",
        "Customs Trade Partnership Against Terrorism of US Customs and Border Protection (CBP); Mexican "
        "manufacturers exporting to the United States are eligible.",
    ),
    CertificationStandard(
        "cqi-9",
        "AIAG CQI-9",
        "Evaluación de sistemas de tratamiento térmico (Heat Treat System Assessment) de AIAG; autoevaluación "
        "anual exigida por los requisitos específicos de muchas armadoras.",
        "AIAG Heat Treat System Assessment; an annual self-assessment required by many automakers' "
        "customer-specific requirements.",
    ),
    CertificationStandard(
        "cqi-11",
        "AIAG CQI-11",
        "Evaluación de sistemas de galvanoplastia (Plating System Assessment) de AIAG.",
        "AIAG Plating System Assessment.",
    ),
    CertificationStandard(
        "cqi-12",
        "AIAG CQI-12",
        "Evaluación de sistemas de recubrimiento y pintura (Coating System Assessment) de AIAG.",
        "AIAG Coating System Assessment.",
    ),
    CertificationStandard(
        "cqi-15",
        "AIAG CQI-15",
        "Evaluación de sistemas de soldadura (Welding System Assessment) de AIAG.",
        "AIAG Welding System Assessment.",
    ),
    CertificationStandard(
        "cqi-23",
        "AIAG CQI-23",
        "Evaluación de sistemas de moldeo de plásticos (Molding System Assessment) de AIAG.",
        "AIAG Molding System Assessment (plastics).",
    ),
    CertificationStandard(
        "cqi-27",
        "AIAG CQI-27",
        "Evaluación de sistemas de fundición (Casting System Assessment) de AIAG.",
        "AIAG Casting System Assessment.",
    ),
)

CERTIFICATION_CODES: frozenset[str] = frozenset(c.code for c in CERTIFICATION_STANDARDS)

# ---------------------------------------------------------------------------
# Anchor companies (FICTIONAL)
# ---------------------------------------------------------------------------


class AnchorCompany(NamedTuple):
    code: str
    name: str
    kind: str  # "oem" (automaker) or "tier1"
    state: str  # INEGI code of the main Mexican plant
    description_es: str
    description_en: str


# The program's real anchor list is not public: these names are invented and do not
# refer to any real company or trademark. SUPPLY_AREAS refer to them by index (0-15).
ANCHOR_COMPANIES: tuple[AnchorCompany, ...] = (
    AnchorCompany(  # 0
        "ANC01",
        "Automotriz del Bajío",
        "oem",
        "11",
        "Armadora de automóviles compactos y SUV con planta de estampado, pintura y ensamble final en Guanajuato.",
        "Automaker of compact cars and SUVs with stamping, paint and final assembly plant in Guanajuato.",
    ),
    AnchorCompany(  # 1
        "ANC02",
        "Vehículos Ligeros del Norte",
        "oem",
        "05",
        "Armadora de pickups y vehículos comerciales ligeros en la región Saltillo-Ramos Arizpe.",
        "Automaker of pickups and light commercial vehicles in the Saltillo-Ramos Arizpe area.",
    ),
    AnchorCompany(  # 2
        "ANC03",
        "Ensambladora del Altiplano Potosino",
        "oem",
        "24",
        "Armadora de SUV y crossovers para exportación a Norteamérica.",
        "Automaker of SUVs and crossovers exported to North America.",
    ),
    AnchorCompany(  # 3
        "ANC04",
        "Automotores de Puebla",
        "oem",
        "21",
        "Armadora de sedanes y SUV con planta de motores propia.",
        "Automaker of sedans and SUVs with its own engine plant.",
    ),
    AnchorCompany(  # 4
        "ANC05",
        "Camiones y Autobuses de Hidalgo",
        "oem",
        "13",
        "Fabricante de camiones de carga pesada, tractocamiones y chasises para autobús.",
        "Maker of heavy-duty trucks, tractor units and bus chassis.",
    ),
    AnchorCompany(  # 5
        "ANC06",
        "Automotriz del Pacífico Norte",
        "oem",
        "26",
        "Armadora de vehículos eléctricos e híbridos conectables.",
        "Automaker of battery-electric and plug-in hybrid vehicles.",
    ),
    AnchorCompany(  # 6
        "ANC07",
        "Transmisiones Norte",
        "tier1",
        "05",
        "Proveedor Tier 1 de transmisiones, ejes y componentes de tren motriz.",
        "Tier 1 supplier of transmissions, axles and driveline components.",
    ),
    AnchorCompany(  # 7
        "ANC08",
        "Conexiones Eléctricas Fronterizas",
        "tier1",
        "08",
        "Proveedor Tier 1 de arneses y sistemas de distribución eléctrica, incluidos arneses de alto voltaje.",
        "Tier 1 supplier of wire harnesses and electrical distribution systems, including high-voltage harnesses.",
    ),
    AnchorCompany(  # 8
        "ANC09",
        "Estructuras y Chasis Regiomontanos",
        "tier1",
        "19",
        "Proveedor Tier 1 de estructuras de carrocería, bastidores y subensambles soldados.",
        "Tier 1 supplier of body structures, frames and welded sub-assemblies.",
    ),
    AnchorCompany(  # 9
        "ANC10",
        "Fundición de Precisión del Bajío",
        "tier1",
        "11",
        "Proveedor Tier 1 de piezas de aluminio fundidas y maquinadas: cabezas, monoblocks y carcasas.",
        "Tier 1 supplier of cast and machined aluminium parts: cylinder heads, engine blocks and housings.",
    ),
    AnchorCompany(  # 10
        "ANC11",
        "Asientos e Interiores Hidrocálidos",
        "tier1",
        "01",
        "Proveedor Tier 1 de asientos completos, vestiduras y paneles interiores entregados en secuencia.",
        "Tier 1 supplier of complete seats, trim covers and interior panels delivered in sequence.",
    ),
    AnchorCompany(  # 11
        "ANC12",
        "Electrónica Vehicular de Occidente",
        "tier1",
        "14",
        "Proveedor Tier 1 de módulos de control electrónico, sensores y sistemas de información y entretenimiento.",
        "Tier 1 supplier of electronic control units, sensors and infotainment systems.",
    ),
    AnchorCompany(  # 12
        "ANC13",
        "Frenos y Suspensiones Queretanos",
        "tier1",
        "22",
        "Proveedor Tier 1 de sistemas de frenos, módulos de suspensión y componentes de dirección.",
        "Tier 1 supplier of brake systems, suspension modules and steering components.",
    ),
    AnchorCompany(  # 13
        "ANC14",
        "Plásticos Automotrices del Centro",
        "tier1",
        "15",
        "Proveedor Tier 1 de fascias, tableros y piezas plásticas pintadas.",
        "Tier 1 supplier of bumper fascias, instrument panels and painted plastic parts.",
    ),
    AnchorCompany(  # 14
        "ANC15",
        "Baterías y Electromovilidad del Noreste",
        "tier1",
        "19",
        "Proveedor Tier 1 de paquetes de baterías y sistemas de gestión de energía para vehículos eléctricos.",
        "Tier 1 supplier of battery packs and battery management systems for electric vehicles.",
    ),
    AnchorCompany(  # 15
        "ANC16",
        "Sistemas Térmicos de Tamaulipas",
        "tier1",
        "28",
        "Proveedor Tier 1 de módulos de climatización, radiadores y sistemas de escape.",
        "Tier 1 supplier of HVAC modules, radiators and exhaust systems.",
    ),
)

# ---------------------------------------------------------------------------
# Critical supply areas
# ---------------------------------------------------------------------------


class SupplyArea(NamedTuple):
    code: str
    name_es: str
    name_en: str
    scian_code: str  # SCIAN 2023 (Mexico) six-digit class
    description_es: str
    description_en: str
    anchors: tuple[int, ...]  # indices into ANCHOR_COMPANIES
    required_certifications: tuple[str, ...]  # CERTIFICATION_STANDARDS codes
    min_scores: dict[str, int]  # framework dimension code -> minimum score (0-100)


# Notes on SCIAN codes: SCIAN México groups NAICS 333511 (industrial molds) and 333514
# (dies, tools, jigs and fixtures) into 333510, and all metal finishing (heat treating,
# coating, plating; NAICS 332811-332813) into 332810.
# IATF 16949 only certifies sites that make production parts, so tooling, packaging and
# service areas require ISO 9001 (or the scheme that fits the service).
SUPPLY_AREAS: tuple[SupplyArea, ...] = (
    SupplyArea(
        "SA01",
        "Estampado y troquelado de piezas metálicas",
        "Metal stamping",
        "336370",
        "Piezas de lámina de acero y aluminio troqueladas en prensas progresivas y de transferencia: refuerzos, "
        "soportes y piezas de carrocería.",
        "Steel and aluminium sheet parts made on progressive and transfer presses: reinforcements, brackets and "
        "body parts.",
        (0, 1, 3, 8, 12),
        ("iatf-16949",),
        {"quality": 60, "production": 60, "engineering": 50},
    ),
    SupplyArea(
        "SA02",
        "Inyección de plástico",
        "Plastic injection moulding",
        "326192",
        "Autopartes de plástico inyectado con y sin reforzamiento: clips, carcasas, molduras y componentes "
        "interiores y exteriores.",
        "Injection-moulded plastic auto parts with and without reinforcement: clips, housings, mouldings and "
        "interior and exterior components.",
        (0, 2, 10, 13, 15),
        ("iatf-16949", "cqi-23"),
        {"quality": 60, "production": 55, "engineering": 45},
    ),
    SupplyArea(
        "SA03",
        "Maquinado CNC de precisión",
        "CNC precision machining",
        "332710",
        "Torneado, fresado y rectificado CNC de piezas de acero y aluminio con tolerancias estrechas.",
        "CNC turning, milling and grinding of steel and aluminium parts to tight tolerances.",
        (1, 6, 9, 12, 14),
        ("iatf-16949",),
        {"quality": 60, "production": 55, "engineering": 55},
    ),
    SupplyArea(
        "SA04",
        "Fundición a presión de aluminio",
        "Aluminium high-pressure die casting",
        "331520",
        "Piezas de aluminio fundidas a alta presión: carcasas de transmisión, soportes y cajas de baterías.",
        "High-pressure die-cast aluminium parts: transmission cases, brackets and battery housings.",
        (5, 6, 9, 14),
        ("iatf-16949", "cqi-27"),
        {"quality": 60, "production": 60, "engineering": 55, "sustainability": 45},
    ),
    SupplyArea(
        "SA05",
        "Fundición de hierro gris y nodular",
        "Grey and ductile iron castings",
        "331510",
        "Piezas de hierro gris y nodular moldeadas en arena: discos y tambores de freno, mangos y soportes.",
        "Sand-cast grey and ductile iron parts: brake discs and drums, knuckles and brackets.",
        (4, 6, 12),
        ("iatf-16949", "cqi-27"),
        {"quality": 55, "production": 55, "sustainability": 50},
    ),
    SupplyArea(
        "SA06",
        "Forja en caliente y en frío",
        "Hot and cold forging",
        "332110",
        "Piezas forjadas de acero: flechas, engranes en bruto, bielas y componentes de suspensión.",
        "Forged steel parts: shafts, gear blanks, connecting rods and suspension components.",
        (4, 6, 12),
        ("iatf-16949",),
        {"quality": 55, "production": 55, "engineering": 50},
    ),
    SupplyArea(
        "SA07",
        "Tratamiento térmico",
        "Heat treatment",
        "332810",
        "Temple, revenido, carburizado, nitrurado y recocido de piezas metálicas con control de hornos y atmósferas.",
        "Hardening, tempering, carburising, nitriding and annealing of metal parts with controlled furnaces and "
        "atmospheres.",
        (6, 8, 12),
        ("iatf-16949", "cqi-9"),
        {"quality": 65, "production": 55, "sustainability": 45},
    ),
    SupplyArea(
        "SA08",
        "Pintura y recubrimientos orgánicos",
        "Painting and organic coatings",
        "332810",
        "Electroforesis (e-coat), pintura en polvo y líquida de piezas metálicas y plásticas.",
        "Electrocoating (e-coat), powder and liquid painting of metal and plastic parts.",
        (1, 4, 8, 15),
        ("iatf-16949", "cqi-12", "iso-14001"),
        {"quality": 60, "production": 50, "sustainability": 55},
    ),
    SupplyArea(
        "SA09",
        "Galvanoplastia",
        "Electroplating",
        "332810",
        "Recubrimientos electrolíticos de zinc, zinc-níquel, níquel y cromo para protección contra la corrosión.",
        "Electroplated zinc, zinc-nickel, nickel and chrome coatings for corrosion protection.",
        (7, 12, 15),
        ("iatf-16949", "cqi-11", "iso-14001"),
        {"quality": 60, "production": 50, "sustainability": 60},
    ),
    SupplyArea(
        "SA10",
        "Arneses eléctricos",
        "Wire harnesses",
        "336320",
        "Ensamble de arneses y cableado vehicular, incluidos arneses de alto voltaje para vehículos eléctricos.",
        "Assembly of vehicle wire harnesses and cabling, including high-voltage harnesses for electric vehicles.",
        (0, 1, 5, 7, 14),
        ("iatf-16949",),
        {"quality": 60, "production": 60, "people": 50},
    ),
    SupplyArea(
        "SA11",
        "Sellos, empaques y piezas antivibratorias de hule",
        "Rubber seals, gaskets and anti-vibration parts",
        "326290",
        "Piezas de hule moldeado y extruido: sellos, empaques, bujes y soportes antivibratorios.",
        "Moulded and extruded rubber parts: seals, gaskets, bushings and anti-vibration mounts.",
        (0, 3, 12, 15),
        ("iatf-16949",),
        {"quality": 55, "production": 50, "engineering": 45},
    ),
    SupplyArea(
        "SA12",
        "Mangueras y bandas",
        "Hoses and belts",
        "326220",
        "Mangueras de hule y plástico para combustible, refrigerante y aire, y bandas de transmisión.",
        "Rubber and plastic hoses for fuel, coolant and air, and drive belts.",
        (4, 6, 15),
        ("iatf-16949",),
        {"quality": 55, "production": 50},
    ),
    SupplyArea(
        "SA13",
        "Tornillería y sujetadores",
        "Fasteners",
        "332720",
        "Tornillos, tuercas, remaches y sujetadores especiales con recubrimiento y certificado de material.",
        "Screws, nuts, rivets and special fasteners with coating and material certificates.",
        (1, 2, 8, 10),
        ("iatf-16949",),
        {"quality": 55, "supply_chain": 55},
    ),
    SupplyArea(
        "SA14",
        "Resortes y formas de alambre",
        "Springs and wire forms",
        "332610",
        "Resortes de compresión, tensión y torsión, y formas de alambre para asientos y mecanismos.",
        "Compression, extension and torsion springs and wire forms for seats and mechanisms.",
        (10, 12),
        ("iatf-16949",),
        {"quality": 55, "production": 50},
    ),
    SupplyArea(
        "SA15",
        "Asientos, vestiduras e interiores",
        "Seats, trim and interior components",
        "336360",
        "Fundas y vestiduras de asiento, espumas, alfombras y paneles interiores con entrega justo a tiempo.",
        "Seat covers and trim, foams, carpets and interior panels delivered just in time.",
        (0, 2, 3, 10),
        ("iatf-16949",),
        {"quality": 55, "production": 50, "supply_chain": 60},
    ),
    SupplyArea(
        "SA16",
        "Troqueles, herramentales y dispositivos",
        "Stamping dies, tooling, jigs and fixtures",
        "333510",
        "Diseño y fabricación de troqueles progresivos y de transferencia, dispositivos de soldadura y "
        "escantillones de control.",
        "Design and build of progressive and transfer dies, welding fixtures and checking fixtures.",
        (0, 1, 3, 8),
        ("iso-9001",),
        {"quality": 50, "engineering": 65, "digital": 45},
    ),
    SupplyArea(
        "SA17",
        "Moldes de inyección",
        "Injection moulds",
        "333510",
        "Diseño, fabricación y mantenimiento de moldes de inyección de plástico y de fundición a presión.",
        "Design, build and maintenance of plastic injection moulds and die-casting dies.",
        (2, 10, 13, 15),
        ("iso-9001",),
        {"quality": 50, "engineering": 65, "digital": 45},
    ),
    SupplyArea(
        "SA18",
        "Ensamble electrónico (PCBA)",
        "Electronic assembly (PCBA)",
        "334410",
        "Ensamble de tarjetas electrónicas por montaje superficial (SMT) y de inserción, con inspección óptica "
        "automática y pruebas funcionales.",
        "Surface-mount (SMT) and through-hole printed circuit board assembly with automated optical inspection "
        "and functional testing.",
        (5, 11, 14),
        ("iatf-16949",),
        {"quality": 65, "production": 60, "digital": 55},
    ),
    SupplyArea(
        "SA19",
        "Sensores y módulos electrónicos",
        "Sensors and electronic modules",
        "336320",
        "Sensores de posición, temperatura y presión, y módulos electrónicos encapsulados para vehículos.",
        "Position, temperature and pressure sensors and encapsulated electronic modules for vehicles.",
        (5, 7, 11),
        ("iatf-16949",),
        {"quality": 65, "engineering": 60, "digital": 55},
    ),
    SupplyArea(
        "SA20",
        "Componentes para baterías de vehículos eléctricos",
        "Electric-vehicle battery components",
        "335910",
        "Barras colectoras, placas de enfriamiento, carcasas y subensambles de módulos para paquetes de baterías.",
        "Busbars, cooling plates, enclosures and module sub-assemblies for battery packs.",
        (5, 7, 14),
        ("iatf-16949", "iso-14001"),
        {"quality": 65, "engineering": 60, "sustainability": 55},
    ),
    SupplyArea(
        "SA21",
        "Cable y conductores eléctricos",
        "Automotive cable and wire",
        "335920",
        "Cable automotriz de cobre y aluminio de baja y alta tensión para arneses.",
        "Low- and high-voltage copper and aluminium automotive cable for harnesses.",
        (7, 14),
        ("iatf-16949",),
        {"quality": 55, "production": 55},
    ),
    SupplyArea(
        "SA22",
        "Empaque retornable y contenedores de plástico",
        "Returnable packaging and plastic containers",
        "326193",
        "Contenedores, charolas y separadores de plástico retornables diseñados por número de parte.",
        "Returnable plastic containers, trays and dunnage designed per part number.",
        (0, 1, 2, 3, 10),
        ("iso-9001",),
        {"quality": 45, "supply_chain": 55},
    ),
    SupplyArea(
        "SA23",
        "Empaque de cartón corrugado",
        "Corrugated packaging",
        "322210",
        "Cajas, separadores e interiores de cartón corrugado para embarque de componentes.",
        "Corrugated boxes, dividers and inserts for shipping components.",
        (7, 11, 13),
        ("iso-9001",),
        {"quality": 45, "supply_chain": 50},
    ),
    SupplyArea(
        "SA24",
        "Tarimas y embalaje de madera",
        "Wood pallets and crates",
        "321920",
        "Tarimas y cajas de madera con tratamiento fitosanitario para exportación (NOM-144-SEMARNAT-2017, NIMF 15).",
        "Wood pallets and crates with phytosanitary treatment for export (NOM-144-SEMARNAT-2017, ISPM 15).",
        (4, 6, 9),
        ("iso-9001",),
        {"quality": 45, "supply_chain": 45},
    ),
    SupplyArea(
        "SA25",
        "Autotransporte de carga",
        "Freight trucking",
        "484129",
        "Transporte foráneo de carga completa, rutas de recolección (milk run) y servicios expeditados.",
        "Long-haul full-truckload transport, milk-run collection routes and expedited services.",
        (0, 1, 2, 5),
        ("iso-9001", "ctpat"),
        {"supply_chain": 60, "digital": 45},
    ),
    SupplyArea(
        "SA26",
        "Agencia aduanal y comercio exterior",
        "Customs brokerage and foreign trade",
        "488511",
        "Despacho aduanero, gestión de programas IMMEX, control de inventarios de importaciones temporales "
        "(Anexo 24) y certificación de origen T-MEC.",
        "Customs clearance, IMMEX program management, temporary-import inventory control (Annex 24) and USMCA "
        "certification of origin.",
        (1, 6, 7, 15),
        ("oea",),
        {"supply_chain": 60, "management": 50, "digital": 50},
    ),
    SupplyArea(
        "SA27",
        "Almacenaje y logística (3PL)",
        "Warehousing and logistics (3PL)",
        "493119",
        "Almacenes de consolidación, cross-dock, secuenciado y surtido a línea para plantas armadoras.",
        "Consolidation warehouses, cross-docking, sequencing and line-side supply for assembly plants.",
        (0, 2, 3, 10, 14),
        ("iso-9001",),
        {"supply_chain": 60, "digital": 50},
    ),
    SupplyArea(
        "SA28",
        "Mantenimiento industrial",
        "Industrial maintenance",
        "811312",
        "Mantenimiento preventivo y correctivo de prensas, inyectoras, máquinas CNC y robots; reconstrucción de "
        "equipos.",
        "Preventive and corrective maintenance of presses, injection machines, CNC machines and robots; machine "
        "rebuilding.",
        (1, 3, 6, 9, 13),
        ("iso-9001",),
        {"production": 55, "people": 50},
    ),
    SupplyArea(
        "SA29",
        "Metrología, calibración y laboratorio de pruebas",
        "Metrology, calibration and testing laboratories",
        "541380",
        "Calibración de instrumentos, medición por coordenadas (CMM) y ensayos de materiales, dimensionales y de "
        "corrosión.",
        "Instrument calibration, coordinate measuring (CMM) and material, dimensional and corrosion testing.",
        (3, 9, 11, 12),
        ("iso-iec-17025",),
        {"quality": 65, "people": 50},
    ),
    SupplyArea(
        "SA30",
        "Ingeniería de producto y proceso",
        "Product and process engineering",
        "541330",
        "Servicios de diseño CAD, simulación CAE, ingeniería de manufactura y documentación APQP.",
        "CAD design, CAE simulation, manufacturing engineering and APQP documentation services.",
        (0, 5, 11, 14),
        ("iso-9001",),
        {"engineering": 65, "people": 50, "digital": 55},
    ),
    SupplyArea(
        "SA31",
        "Automatización, robótica y celdas de soldadura",
        "Automation, robotics and welding cells",
        "333999",
        "Integración de celdas robotizadas de soldadura y manejo de materiales, y equipos especiales de "
        "ensamble y prueba.",
        "Integration of robotic welding and material-handling cells, and special assembly and test equipment.",
        (0, 2, 4, 8),
        ("iso-9001",),
        {"engineering": 60, "digital": 55},
    ),
    SupplyArea(
        "SA32",
        "Ensambles soldados y componentes tubulares",
        "Welded assemblies and tubular components",
        "336390",
        "Subensambles soldados, tubos doblados y componentes de sistemas de escape.",
        "Welded sub-assemblies, bent tubes and exhaust system components.",
        (1, 4, 8, 15),
        ("iatf-16949", "cqi-15"),
        {"quality": 60, "production": 55},
    ),
    SupplyArea(
        "SA33",
        "Componentes de frenos",
        "Brake components",
        "336340",
        "Calipers, balatas, discos maquinados, líneas y componentes de sistemas de freno.",
        "Calipers, brake pads, machined discs, brake lines and other brake system components.",
        (3, 4, 12),
        ("iatf-16949",),
        {"quality": 65, "production": 55, "engineering": 55},
    ),
    SupplyArea(
        "SA34",
        "Componentes de dirección y suspensión",
        "Steering and suspension components",
        "336330",
        "Brazos de control, barras estabilizadoras, rótulas, terminales y componentes de columna de dirección.",
        "Control arms, stabiliser bars, ball joints, tie-rod ends and steering column components.",
        (1, 2, 12),
        ("iatf-16949",),
        {"quality": 65, "production": 55, "engineering": 50},
    ),
    SupplyArea(
        "SA35",
        "Componentes de tren motriz y transmisión",
        "Powertrain and transmission components",
        "336350",
        "Engranes, flechas, juntas homocinéticas y componentes maquinados de transmisiones y ejes.",
        "Gears, shafts, constant-velocity joints and machined components for transmissions and axles.",
        (3, 6, 9),
        ("iatf-16949",),
        {"quality": 65, "production": 60, "engineering": 55},
    ),
)
