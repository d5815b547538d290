"""Reference and demo data for suppliers: SCIAN sectors, municipalities and name parts.

Pure Python (no Django import). SCIAN_SECTORS is the catalogue offered when an SME
registers; MUNICIPALITIES_SAMPLE, FIRST_NAMES, LAST_NAMES and the company name parts feed the
demo data generator only.

SCIAN: Sistema de Clasificación Industrial de América del Norte, México (INEGI), 2023
edition, six-digit national classes. The DOF stratification sector (Secretaría de Economía,
DOF 30 June 2009) is derived from the two-digit SCIAN sector: 31-33 manufacturing ->
"industria", 43 wholesale and 46 retail -> "comercio", any other sector -> "servicios". The
catalogue holds no agriculture, mining, utilities or construction codes (sectors 11, 21, 22,
23), so none of the ambiguous cases arise.
"""

from typing import NamedTuple

INDUSTRY = "industria"
COMMERCE = "comercio"
SERVICES = "servicios"


def dof_sector(scian_code: str) -> str:
    """DOF stratification sector of a SCIAN code, from its two-digit sector."""
    prefix = scian_code[:2]
    if prefix in {"31", "32", "33"}:
        return INDUSTRY
    if prefix in {"43", "46"}:
        return COMMERCE
    return SERVICES


class ScianSector(NamedTuple):
    code: str
    name_es: str  # official SCIAN class name
    name_en: str
    sector: str  # "industria" | "comercio" | "servicios"


_SCIAN_CLASSES: tuple[tuple[str, str, str], ...] = (
    # Wood, paper, chemicals, plastics and rubber
    ("321920", "Fabricación de productos para embalaje y envases de madera", "Wood packaging and containers"),
    ("322210", "Fabricación de envases de cartón", "Paperboard containers"),
    ("325510", "Fabricación de pinturas y recubrimientos", "Paints and coatings"),
    ("325520", "Fabricación de adhesivos", "Adhesives"),
    ("326192", "Fabricación de autopartes de plástico con y sin reforzamiento", "Plastic auto parts"),
    (
        "326193",
        "Fabricación de envases y contenedores de plástico para embalaje con y sin reforzamiento",
        "Plastic packaging containers",
    ),
    (
        "326194",
        "Fabricación de otros productos de plástico de uso industrial sin reforzamiento",
        "Other unreinforced industrial plastic products",
    ),
    ("326220", "Fabricación de bandas y mangueras de hule y de plástico", "Rubber and plastic belts and hoses"),
    ("326290", "Fabricación de otros productos de hule", "Other rubber products"),
    # Primary metals and foundries
    ("331510", "Moldeo por fundición de piezas de hierro y acero", "Iron and steel castings"),
    ("331520", "Moldeo por fundición de piezas metálicas no ferrosas", "Non-ferrous metal castings"),
    # Fabricated metal products
    ("332110", "Fabricación de productos metálicos forjados y troquelados", "Forged and stamped metal products"),
    ("332610", "Fabricación de alambre, productos de alambre y resortes", "Wire, wire products and springs"),
    ("332710", "Maquinado de piezas para maquinaria y equipo en general", "Machine shops"),
    ("332720", "Fabricación de tornillos, tuercas, remaches y similares", "Screws, nuts, rivets and similar"),
    ("332810", "Recubrimientos y terminados metálicos", "Metal coating, plating and finishing"),
    ("332991", "Fabricación de baleros y rodamientos", "Ball and roller bearings"),
    ("332999", "Fabricación de otros productos metálicos", "Other fabricated metal products"),
    # Machinery, electronics and electrical equipment
    (
        "333510",
        "Fabricación de maquinaria y equipo para la industria metalmecánica",
        "Metalworking machinery, moulds, dies and tooling",
    ),
    (
        "333999",
        "Fabricación de otra maquinaria y equipo para la industria en general",
        "Other general-purpose industrial machinery",
    ),
    ("334410", "Fabricación de componentes electrónicos", "Electronic components"),
    ("335910", "Fabricación de acumuladores y pilas", "Batteries"),
    ("335920", "Fabricación de cables de conducción eléctrica", "Electrical wire and cable"),
    # Motor vehicles and parts
    ("336110", "Fabricación de automóviles y camionetas", "Automobiles and light trucks"),
    ("336120", "Fabricación de camiones y tractocamiones", "Heavy trucks and tractor units"),
    ("336210", "Fabricación de carrocerías y remolques", "Motor vehicle bodies and trailers"),
    (
        "336310",
        "Fabricación de motores de gasolina y sus partes para vehículos automotrices",
        "Gasoline engines and engine parts",
    ),
    (
        "336320",
        "Fabricación de equipo eléctrico y electrónico y sus partes para vehículos automotores",
        "Motor vehicle electrical and electronic equipment",
    ),
    (
        "336330",
        "Fabricación de partes de sistemas de dirección y de suspensión para vehículos automotrices",
        "Steering and suspension components",
    ),
    (
        "336340",
        "Fabricación de partes de sistemas de frenos para vehículos automotrices",
        "Brake system parts",
    ),
    (
        "336350",
        "Fabricación de partes de sistemas de transmisión para vehículos automotores",
        "Transmission and power train parts",
    ),
    (
        "336360",
        "Fabricación de asientos y accesorios interiores para vehículos automotores",
        "Seating and interior trim",
    ),
    (
        "336370",
        "Fabricación de piezas metálicas troqueladas para vehículos automotrices",
        "Motor vehicle metal stamping",
    ),
    ("336390", "Fabricación de otras partes para vehículos automotrices", "Other motor vehicle parts"),
    # Wholesale and retail trade
    (
        "434221",
        "Comercio al por mayor de materiales metálicos para la construcción y la manufactura",
        "Wholesale of metal materials for construction and manufacturing",
    ),
    (
        "434223",
        "Comercio al por mayor de envases en general, papel y cartón para la industria",
        "Wholesale of packaging, paper and board for industry",
    ),
    (
        "435220",
        "Comercio al por mayor de maquinaria y equipo para la industria manufacturera",
        "Wholesale of machinery and equipment for manufacturing",
    ),
    (
        "436112",
        "Comercio al por mayor de partes y refacciones nuevas para automóviles, camionetas y camiones",
        "Wholesale of new motor vehicle parts",
    ),
    (
        "468211",
        "Comercio al por menor de partes y refacciones nuevas para automóviles, camionetas y camiones",
        "Retail of new motor vehicle parts",
    ),
    # Transport, warehousing and services
    ("484129", "Otro autotransporte foráneo de carga general", "Other long-distance general freight trucking"),
    ("488511", "Servicios de agencias aduanales", "Customs brokerage"),
    (
        "488519",
        "Otros servicios de intermediación para el transporte de carga",
        "Other freight transportation arrangement",
    ),
    (
        "493119",
        "Otros servicios de almacenamiento general sin instalaciones especializadas",
        "Other general warehousing and storage",
    ),
    ("541330", "Servicios de ingeniería", "Engineering services"),
    ("541380", "Servicios de laboratorios de pruebas", "Testing laboratories"),
    ("541420", "Diseño industrial", "Industrial design services"),
    (
        "541510",
        "Servicios de diseño de sistemas de cómputo y servicios relacionados",
        "Computer systems design and related services",
    ),
    (
        "811312",
        "Reparación y mantenimiento de maquinaria y equipo industrial",
        "Industrial machinery repair and maintenance",
    ),
)

SCIAN_SECTORS: tuple[ScianSector, ...] = tuple(
    ScianSector(code, name_es, name_en, dof_sector(code)) for code, name_es, name_en in _SCIAN_CLASSES
)

SCIAN_BY_CODE: dict[str, ScianSector] = {s.code: s for s in SCIAN_SECTORS}

# Real municipalities (INEGI names) per state, for demo addresses. The main auto states
# list their industrial municipalities; every other state lists at least its capital, so
# any state with a demo weight can get an address.
MUNICIPALITIES_SAMPLE: dict[str, list[str]] = {
    "01": ["Aguascalientes", "Jesús María", "San Francisco de los Romo", "Pabellón de Arteaga"],
    "02": ["Tijuana", "Mexicali", "Tecate", "Ensenada"],
    "03": ["La Paz", "Los Cabos"],
    "04": ["Campeche", "Carmen"],
    "05": ["Saltillo", "Ramos Arizpe", "Torreón", "Monclova", "Arteaga", "Piedras Negras"],
    "06": ["Colima", "Manzanillo", "Villa de Álvarez"],
    "07": ["Tuxtla Gutiérrez", "Tapachula"],
    "08": ["Juárez", "Chihuahua", "Delicias", "Cuauhtémoc"],
    "09": ["Azcapotzalco", "Iztapalapa", "Miguel Hidalgo"],
    "10": ["Gómez Palacio", "Lerdo", "Durango"],
    "11": ["León", "Silao de la Victoria", "Irapuato", "Celaya", "Salamanca", "Apaseo el Grande"],
    "12": ["Chilpancingo de los Bravo", "Acapulco de Juárez"],
    "13": ["Tepeapulco", "Pachuca de Soto", "Tizayuca", "Tula de Allende"],
    "14": ["Guadalajara", "Zapopan", "El Salto", "Tlajomulco de Zúñiga", "Lagos de Moreno"],
    "15": ["Toluca", "Lerma", "Cuautitlán Izcalli", "Tlalnepantla de Baz", "Naucalpan de Juárez", "Tepotzotlán"],
    "16": ["Morelia", "Zamora", "Uruapan"],
    "17": ["Jiutepec", "Cuernavaca", "Emiliano Zapata"],
    "18": ["Tepic", "Bahía de Banderas"],
    "19": ["Monterrey", "Apodaca", "Santa Catarina", "General Escobedo", "Pesquería", "Salinas Victoria"],
    "20": ["Oaxaca de Juárez", "Salina Cruz"],
    "21": ["Puebla", "Cuautlancingo", "San José Chiapa", "Huejotzingo", "San Martín Texmelucan"],
    "22": ["Querétaro", "El Marqués", "Corregidora", "San Juan del Río", "Colón"],
    "23": ["Othón P. Blanco", "Benito Juárez"],
    "24": ["San Luis Potosí", "Soledad de Graciano Sánchez", "Villa de Reyes"],
    "25": ["Culiacán", "Mazatlán", "Ahome"],
    "26": ["Hermosillo", "Nogales", "Cajeme", "Guaymas"],
    "27": ["Centro", "Cárdenas"],
    "28": ["Reynosa", "Matamoros", "Nuevo Laredo", "Altamira"],
    "29": ["Tlaxcala", "Apizaco", "Huamantla"],
    "30": ["Veracruz", "Xalapa", "Córdoba"],
    "31": ["Mérida", "Umán", "Progreso"],
    "32": ["Zacatecas", "Guadalupe", "Fresnillo", "Calera"],
}

FIRST_NAMES: list[str] = [
    "Alejandro", "Ana", "Andrea", "Antonio", "Arturo", "Beatriz", "Carlos", "Carmen", "Claudia",
    "Daniel", "Diana", "Eduardo", "Elena", "Enrique", "Fernanda", "Fernando", "Francisco",
    "Gabriela", "Guadalupe", "Guillermo", "Héctor", "Ignacio", "Isabel", "Javier", "Jesús",
    "Jorge", "José", "Juan", "Julieta", "Laura", "Leticia", "Lorena", "Luis", "Manuel",
    "María", "Mariana", "Martha", "Miguel", "Mónica", "Norma", "Óscar", "Patricia", "Pedro",
    "Rafael", "Raúl", "Ricardo", "Roberto", "Rocío", "Rosa", "Salvador", "Sandra", "Sergio",
    "Silvia", "Sofía", "Teresa", "Verónica", "Víctor", "Ximena", "Yolanda",
]  # fmt: skip

LAST_NAMES: list[str] = [
    "Acosta", "Aguilar", "Alvarado", "Álvarez", "Ávila", "Bautista", "Cabrera", "Camacho",
    "Campos", "Castillo", "Castro", "Cervantes", "Chávez", "Contreras", "Cortés", "Cruz",
    "Delgado", "Díaz", "Domínguez", "Espinoza", "Estrada", "Flores", "Fuentes", "Garza",
    "García", "Gómez", "González", "Guerrero", "Gutiérrez", "Guzmán", "Hernández", "Herrera",
    "Ibarra", "Jiménez", "Juárez", "Lara", "León", "López", "Luna", "Maldonado", "Martínez",
    "Medina", "Mejía", "Méndez", "Mendoza", "Miranda", "Morales", "Moreno", "Navarro", "Núñez",
    "Orozco", "Ortega", "Ortiz", "Pacheco", "Peña", "Pérez", "Ramírez", "Ramos", "Reyes",
    "Ríos", "Rivera", "Rodríguez", "Rojas", "Romero", "Rosales", "Ruiz", "Salazar", "Sánchez",
    "Sandoval", "Silva", "Soto", "Torres", "Treviño", "Valdez", "Vargas", "Vázquez", "Vega",
    "Velázquez", "Villarreal", "Zamora",
]  # fmt: skip

# Parts of demo company names, combined as
# "<word> [y <word>] <qualifier>, <legal suffix>", e.g. "Troqueles y Estampados del Norte,
# S.A. de C.V.". Every word is a plural noun and every qualifier either a "de ..." phrase or a
# plural adjective valid for both genders, so any combination agrees grammatically.
COMPANY_WORDS: list[str] = [
    "Troqueles", "Estampados", "Maquinados", "Fundiciones", "Forjas", "Plásticos", "Inyectados",
    "Moldes", "Herramentales", "Tratamientos Térmicos", "Recubrimientos", "Galvanizados",
    "Pinturas", "Arneses", "Conexiones Eléctricas", "Componentes Electrónicos", "Hules",
    "Empaques", "Sellos", "Resortes", "Tornillos", "Sujetadores", "Autopartes", "Componentes",
    "Ensambles", "Soldaduras", "Aceros", "Aluminios", "Manufacturas", "Sistemas",
    "Servicios Técnicos", "Laboratorios", "Transportes", "Embalajes", "Tarimas", "Vestiduras",
]  # fmt: skip

COMPANY_QUALIFIERS: list[str] = [
    "del Norte", "del Bajío", "del Centro", "de Occidente", "del Noreste", "del Golfo",
    "del Altiplano", "de la Laguna", "de la Frontera", "de México", "de Monterrey",
    "de Querétaro", "de Puebla", "de Aguascalientes", "de San Luis", "de Saltillo",
    "Industriales", "Automotrices", "Integrales", "de Precisión",
]  # fmt: skip

LEGAL_ENTITY_SUFFIXES: list[str] = [
    "S.A. de C.V.", "S. de R.L. de C.V.", "S.A.P.I. de C.V.", "S.A.S.",
]  # fmt: skip
