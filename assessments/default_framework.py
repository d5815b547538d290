"""Default maturity framework for auto-parts SMEs ("sdp-auto-parts", version 1).

Pure data (no Django import), loaded by ``assessments.services.framework_import``.

Shape::

    FRAMEWORK = {
        "code", "version", "name_es", "name_en", "description_es", "description_en",
        "dimensions": [{
            "code", "name_es", "name_en", "description_es", "description_en",
            "weight",                      # Decimal; the nine weights add up to exactly 100
            "questions": [{
                "code",                    # "<dimension>.q<n>"
                "text_es", "text_en",
                "weight",                  # Decimal 1-3, relative within the dimension
                "is_critical", "cap_level",  # critical at level 1 caps the overall level
                "descriptors",             # five (text_es, text_en) pairs, level 1 to 5
            }],
        }],
        "bands": [{"level", "name_es", "name_en", "description_es", "description_en",
                   "min_score", "max_score"}],  # min <= score < max; the top band includes 100
    }

Levels: 1 = ad hoc, 2 = basic/reactive, 3 = defined and applied, 4 = measured and
managed (what an OEM or Tier 1 expects of a production supplier), 5 = best practice.
A level maps to a 0-100 score as ``(level - 1) * 25`` (see ``assessments.scoring``).

Critical questions (quality system, APQP/PPAP, traceability and non-conforming product,
occupational safety) carry ``cap_level = 2``: rated 1, they cap the overall maturity level
at 2 (Básico) whatever the score, in the spirit of the VDA 6.3 downgrading rules.
"""

from decimal import Decimal

CAP_LEVEL_CRITICAL = 2


def _q(code, weight, text_es, text_en, descriptors, *, critical=False):
    """One question; ``descriptors`` are five (es, en) pairs for levels 1 to 5."""
    return {
        "code": code,
        "text_es": text_es,
        "text_en": text_en,
        "weight": Decimal(weight),
        "is_critical": critical,
        "cap_level": CAP_LEVEL_CRITICAL if critical else None,
        "descriptors": tuple(descriptors),
    }


QUALITY = {
    "code": "quality",
    "name_es": "Calidad",
    "name_en": "Quality",
    "description_es": "Sistema de gestión de la calidad, herramientas básicas automotrices (APQP, PPAP, AMEF, "
    "MSA, SPC), solución de problemas y trazabilidad.",
    "description_en": "Quality management system, automotive core tools (APQP, PPAP, FMEA, MSA, SPC), problem "
    "solving and traceability.",
    "weight": Decimal("18"),
    "questions": [
        _q(
            "quality.q1",
            "3",
            "¿Qué tan formal y certificado es el sistema de gestión de la calidad?",
            "How formal and certified is the quality management system?",
            (
                (
                    "No hay sistema documentado; la calidad depende de la inspección final y de la experiencia "
                    "del personal.",
                    "No documented system; quality depends on final inspection and staff experience.",
                ),
                (
                    "Hay procedimientos e instrucciones básicos, sin auditorías internas ni revisión por la dirección.",
                    "Basic procedures and work instructions exist, without internal audits or management review.",
                ),
                (
                    "ISO 9001 certificada (o implantada con auditorías internas y revisión por la dirección).",
                    "ISO 9001 certified (or implemented with internal audits and management review).",
                ),
                (
                    "IATF 16949 certificada, o implantada con auditoría de certificación programada; requisitos "
                    "específicos de los clientes identificados.",
                    "IATF 16949 certified, or implemented with the certification audit scheduled; customer-specific "
                    "requirements identified.",
                ),
                (
                    "IATF 16949 sin no conformidades mayores abiertas, requisitos específicos integrados y "
                    "auditorías de proceso VDA 6.3 con calificación A.",
                    "IATF 16949 with no open major nonconformities, customer-specific requirements built in and "
                    "VDA 6.3 process audits rated A.",
                ),
            ),
            critical=True,
        ),
        _q(
            "quality.q2",
            "3",
            "¿Cómo se planea la calidad de productos nuevos y se aprueban las piezas de producción (APQP y PPAP)?",
            "How is new-product quality planned and are production parts approved (APQP and PPAP)?",
            (
                (
                    "No hay planeación de calidad; las piezas se envían sin paquete de aprobación.",
                    "No quality planning; parts are shipped without an approval package.",
                ),
                (
                    "Se entregan muestras y reportes dimensionales sólo cuando el cliente los exige.",
                    "Samples and dimensional reports are submitted only when the customer demands them.",
                ),
                (
                    "Se elaboran PPAP completos (nivel 3) con diagrama de flujo, AMEF de proceso, plan de control, "
                    "MSA y estudios de capacidad.",
                    "Complete PPAPs (level 3) are prepared with process flow, process FMEA, control plan, MSA and "
                    "capability studies.",
                ),
                (
                    "APQP por fases con equipo multidisciplinario y revisiones de etapa; la mayoría de los PPAP se "
                    "aprueban a la primera.",
                    "Phased APQP with a cross-functional team and gate reviews; most PPAPs are approved first time.",
                ),
                (
                    "APQP integrado a la gestión de proyectos con lecciones aprendidas; PPAP aprobados a la "
                    "primera y cambios notificados al cliente antes de implementarse.",
                    "APQP built into project management with lessons learned; PPAPs approved first time and changes "
                    "notified to the customer before implementation.",
                ),
            ),
            critical=True,
        ),
        _q(
            "quality.q3",
            "2",
            "¿Se usan AMEF y planes de control vigentes para cada proceso?",
            "Are up-to-date FMEAs and control plans used for each process?",
            (
                (
                    "No hay AMEF ni plan de control.",
                    "No FMEA or control plan.",
                ),
                (
                    "Hay hojas de inspección, pero no AMEF; el plan de control existe sólo si el cliente lo pidió.",
                    "Inspection sheets exist but no FMEA; a control plan exists only if the customer asked for it.",
                ),
                (
                    "AMEF de proceso y plan de control por número de parte, elaborados en el lanzamiento.",
                    "Process FMEA and control plan per part number, prepared at launch.",
                ),
                (
                    "AMEF con la metodología AIAG-VDA, revisados tras cada queja o cambio; características "
                    "especiales vinculadas entre plano, AMEF y plan de control.",
                    "FMEAs using the AIAG-VDA method, reviewed after every complaint or change; special "
                    "characteristics linked across drawing, FMEA and control plan.",
                ),
                (
                    "AMEF de familia con reducción de riesgo medida; plan de control ligado a instrucciones en piso "
                    "y verificado con auditorías por capas (LPA).",
                    "Family FMEAs with measured risk reduction; control plan linked to shop-floor instructions and "
                    "verified by layered process audits (LPA).",
                ),
            ),
        ),
        _q(
            "quality.q4",
            "2",
            "¿Cómo se controlan estadísticamente los procesos y los sistemas de medición (SPC y MSA)?",
            "How are processes and measurement systems statistically controlled (SPC and MSA)?",
            (
                (
                    "No se registran mediciones; los instrumentos no se calibran.",
                    "Measurements are not recorded; instruments are not calibrated.",
                ),
                (
                    "Mediciones en papel sin análisis; calibración incompleta o sin trazabilidad.",
                    "Paper records without analysis; calibration incomplete or not traceable.",
                ),
                (
                    "Instrumentos calibrados con trazabilidad y gráficas de control en características críticas.",
                    "Instruments calibrated with traceability and control charts on critical characteristics.",
                ),
                (
                    "Cpk de 1.33 o más en características especiales y estudios R&R aceptables en los sistemas de "
                    "medición del plan de control.",
                    "Cpk of 1.33 or more on special characteristics and acceptable gauge R&R studies for the "
                    "control plan's measurement systems.",
                ),
                (
                    "SPC en tiempo real con reacción documentada a señales fuera de control; Ppk de 1.67 o más en "
                    "lanzamientos.",
                    "Real-time SPC with documented reaction to out-of-control signals; Ppk of 1.67 or more at launch.",
                ),
            ),
        ),
        _q(
            "quality.q5",
            "2",
            "¿Cómo se resuelven las quejas de clientes y los problemas de calidad (8D)?",
            "How are customer complaints and quality problems solved (8D)?",
            (
                (
                    "Las quejas se atienden caso por caso, sin análisis de causa.",
                    "Complaints are handled case by case, without cause analysis.",
                ),
                (
                    "Se llena el formato del cliente; la causa raíz rara vez se demuestra.",
                    "The customer's form is filled in; the root cause is rarely proven.",
                ),
                (
                    "8D con contención en 24 horas y causa raíz (5 porqués, Ishikawa) para cada queja de cliente.",
                    "8D with containment within 24 hours and root cause (5 whys, Ishikawa) for every customer "
                    "complaint.",
                ),
                (
                    "8D también para problemas internos y de proveedores, con verificación de eficacia y "
                    "actualización del AMEF.",
                    "8D also for internal and supplier problems, with effectiveness checks and FMEA updates.",
                ),
                (
                    "PPM y quejas a la baja de forma sostenida; lecciones aprendidas y dispositivos a prueba de "
                    "error (poka-yoke) aplicados en toda la planta.",
                    "PPM and complaints falling steadily; lessons learned and error-proofing (poka-yoke) applied "
                    "plant-wide.",
                ),
            ),
        ),
        _q(
            "quality.q6",
            "2",
            "¿Existe trazabilidad de materiales a embarques y control del producto no conforme?",
            "Is there traceability from materials to shipments and control of non-conforming product?",
            (
                (
                    "No es posible saber qué lote de materia prima se usó en un embarque.",
                    "It is impossible to tell which raw-material lot went into a shipment.",
                ),
                (
                    "Trazabilidad parcial por orden de producción en papel; el producto no conforme no se segrega "
                    "con claridad.",
                    "Partial traceability by paper work order; non-conforming product is not clearly segregated.",
                ),
                (
                    "Trazabilidad por lote de la materia prima al embarque; área de producto no conforme "
                    "identificada y controlada.",
                    "Lot traceability from raw material to shipment; non-conforming product area identified and "
                    "controlled.",
                ),
                (
                    "Etiquetas con código de barras y registros que permiten acotar un lote sospechoso en horas; "
                    "retrabajos liberados con autorización.",
                    "Bar-coded labels and records that bound a suspect lot within hours; rework released with "
                    "authorisation.",
                ),
                (
                    "Trazabilidad por número de serie o lote en sistema, simulacros periódicos de retiro y alertas "
                    "que detienen el embarque automáticamente.",
                    "Serial or lot traceability in a system, periodic recall drills and alerts that stop shipment "
                    "automatically.",
                ),
            ),
            critical=True,
        ),
    ],
}

PRODUCTION = {
    "code": "production",
    "name_es": "Producción",
    "name_en": "Production",
    "description_es": "Trabajo estandarizado, eficiencia de equipos (OEE), mantenimiento, manufactura esbelta y "
    "prevención de errores.",
    "description_en": "Standard work, equipment effectiveness (OEE), maintenance, lean manufacturing and error "
    "proofing.",
    "weight": Decimal("16"),
    "questions": [
        _q(
            "production.q1",
            "2",
            "¿Hay orden, limpieza y trabajo estandarizado en el piso (5S, instrucciones de trabajo)?",
            "Is there order, cleanliness and standard work on the shop floor (5S, work instructions)?",
            (
                (
                    "Áreas desordenadas; cada operador trabaja a su manera.",
                    "Untidy areas; each operator works their own way.",
                ),
                (
                    "Limpieza ocasional; algunas instrucciones de trabajo, no siempre en el puesto.",
                    "Occasional cleaning; some work instructions, not always at the workstation.",
                ),
                (
                    "5S implantadas con auditorías; instrucciones visuales vigentes en cada puesto.",
                    "5S in place with audits; current visual work instructions at every workstation.",
                ),
                (
                    "Trabajo estandarizado con tiempos y secuencia definidos, usado para entrenar y balancear líneas.",
                    "Standard work with defined times and sequence, used for training and line balancing.",
                ),
                (
                    "Estándares mejorados continuamente por los propios equipos; gestión visual que muestra "
                    "desviaciones al momento.",
                    "Standards continually improved by the teams themselves; visual management shows deviations "
                    "at once.",
                ),
            ),
        ),
        _q(
            "production.q2",
            "3",
            "¿Se mide y mejora la eficiencia global de los equipos (OEE)?",
            "Is overall equipment effectiveness (OEE) measured and improved?",
            (
                (
                    "No se mide la producción por máquina ni los paros.",
                    "Output per machine and downtime are not measured.",
                ),
                (
                    "Se registran piezas producidas por turno; los paros no se clasifican.",
                    "Parts per shift are recorded; downtime is not classified.",
                ),
                (
                    "OEE calculado (disponibilidad, desempeño, calidad) en los equipos cuello de botella.",
                    "OEE calculated (availability, performance, quality) on bottleneck equipment.",
                ),
                (
                    "OEE revisado diariamente con análisis de Pareto de pérdidas y acciones con responsable; 75 % "
                    "o más en equipos clave.",
                    "OEE reviewed daily with a Pareto of losses and owned actions; 75 % or more on key equipment.",
                ),
                (
                    "OEE capturado automáticamente, 85 % o más en equipos clave y mejora sostenida de las seis "
                    "grandes pérdidas.",
                    "OEE captured automatically, 85 % or more on key equipment and sustained reduction of the six "
                    "big losses.",
                ),
            ),
        ),
        _q(
            "production.q3",
            "2",
            "¿Cómo se mantiene la maquinaria y el herramental (TPM)?",
            "How are machines and tooling maintained (TPM)?",
            (
                (
                    "Sólo se repara cuando algo falla.",
                    "Repairs only when something breaks.",
                ),
                (
                    "Mantenimiento preventivo planeado para algunos equipos, cumplido con irregularidad.",
                    "Planned preventive maintenance for some equipment, done irregularly.",
                ),
                (
                    "Programa preventivo para todos los equipos y herramentales críticos, con refacciones "
                    "críticas identificadas.",
                    "Preventive programme for all critical equipment and tooling, with critical spare parts "
                    "identified.",
                ),
                (
                    "TPM con mantenimiento autónomo de operadores, indicadores MTBF/MTTR y mantenimiento "
                    "predictivo en equipos clave.",
                    "TPM with operator autonomous maintenance, MTBF/MTTR indicators and predictive maintenance on "
                    "key equipment.",
                ),
                (
                    "Mantenimiento basado en condición con sensores, paros no planeados mínimos y vida de "
                    "herramentales gestionada por ciclos.",
                    "Condition-based maintenance with sensors, minimal unplanned downtime and tool life managed by "
                    "cycle counts.",
                ),
            ),
        ),
        _q(
            "production.q4",
            "2",
            "¿Se aplican herramientas de manufactura esbelta (cambio rápido SMED, flujo, kanban)?",
            "Are lean manufacturing tools applied (SMED quick changeover, flow, kanban)?",
            (
                (
                    "Lotes grandes, inventario en proceso abundante y cambios de modelo de horas.",
                    "Large batches, plenty of work in process and model changes taking hours.",
                ),
                (
                    "Algunas mejoras aisladas; los cambios de modelo no se miden.",
                    "Some isolated improvements; changeovers are not measured.",
                ),
                (
                    "Tiempos de cambio medidos y reducidos con SMED en los equipos principales; mapa de flujo de "
                    "valor de la familia principal.",
                    "Changeover times measured and reduced with SMED on the main equipment; value stream map of "
                    "the main product family.",
                ),
                (
                    "Producción jalada con kanban y supermercados; inventario en proceso controlado con mínimos y "
                    "máximos.",
                    "Pull production with kanban and supermarkets; work in process controlled with minimums and "
                    "maximums.",
                ),
                (
                    "Flujo continuo donde es posible, cambios de un dígito en minutos y eventos kaizen "
                    "sistemáticos con ahorros medidos.",
                    "Continuous flow where possible, single-minute changeovers and systematic kaizen events with "
                    "measured savings.",
                ),
            ),
        ),
        _q(
            "production.q5",
            "2",
            "¿Cómo se previenen los defectos en el proceso (dispositivos a prueba de error y validación de arranque)?",
            "How are defects prevented in the process (error-proofing devices and start-up validation)?",
            (
                (
                    "Los defectos se detectan, si acaso, en la inspección final o en el cliente.",
                    "Defects are found, if at all, at final inspection or by the customer.",
                ),
                (
                    "Inspección al 100 % visual en algunos puntos; sin liberación de primera pieza.",
                    "100 % visual inspection at some points; no first-piece approval.",
                ),
                (
                    "Liberación de primera y última pieza por turno y poka-yoke en los defectos conocidos.",
                    "First- and last-piece approval each shift and poka-yoke on known defects.",
                ),
                (
                    "Poka-yoke derivados del AMEF y verificados cada turno con piezas patrón (rabbits).",
                    "Poka-yoke derived from the FMEA and verified every shift with master parts (rabbits).",
                ),
                (
                    "Detección en la estación con paro automático; los defectos no pueden pasar a la siguiente "
                    "operación.",
                    "In-station detection with automatic stop; defects cannot pass to the next operation.",
                ),
            ),
        ),
    ],
}

SUPPLY_CHAIN = {
    "code": "supply_chain",
    "name_es": "Cadena de suministro y logística",
    "name_en": "Supply chain and logistics",
    "description_es": "Planeación de materiales, comunicación electrónica con clientes, entregas, gestión de "
    "proveedores y comercio exterior.",
    "description_en": "Material planning, electronic communication with customers, delivery performance, "
    "supplier management and foreign trade.",
    "weight": Decimal("12"),
    "questions": [
        _q(
            "supply_chain.q1",
            "2",
            "¿Cómo se planean materiales y producción (MRP)?",
            "How are materials and production planned (MRP)?",
            (
                (
                    "Se compra y produce según los pedidos del día; faltantes frecuentes.",
                    "Buying and production follow the day's orders; frequent shortages.",
                ),
                (
                    "Hojas de cálculo con pronósticos del cliente; inventarios contados sólo al cierre del año.",
                    "Spreadsheets with customer forecasts; inventory counted only at year end.",
                ),
                (
                    "MRP en un sistema con listas de materiales y tiempos de entrega; inventario cíclico.",
                    "MRP in a system with bills of materials and lead times; cycle counting.",
                ),
                (
                    "Planeación de ventas y operaciones (S&OP) mensual; exactitud de inventario de 98 % o más.",
                    "Monthly sales and operations planning (S&OP); inventory accuracy of 98 % or more.",
                ),
                (
                    "Planeación sincronizada con clientes y proveedores, inventario mínimo y cero paros de cliente "
                    "por faltantes.",
                    "Planning synchronised with customers and suppliers, minimal inventory and no customer line "
                    "stops due to shortages.",
                ),
            ),
        ),
        _q(
            "supply_chain.q2",
            "2",
            "¿Se intercambian programas y avisos de embarque electrónicamente con los clientes (EDI/ASN)?",
            "Are schedules and shipping notices exchanged electronically with customers (EDI/ASN)?",
            (
                (
                    "Los pedidos llegan por teléfono o correo y no hay avisos de embarque.",
                    "Orders arrive by phone or email and there are no shipping notices.",
                ),
                (
                    "Se consultan los portales de los clientes manualmente; avisos de embarque capturados a mano.",
                    "Customer portals are checked manually; shipping notices keyed in by hand.",
                ),
                (
                    "EDI con los clientes principales (programas 830/862 y ASN 856, o sus equivalentes VDA).",
                    "EDI with the main customers (830/862 schedules and 856 ASN, or their VDA equivalents).",
                ),
                (
                    "EDI integrado al ERP; etiquetas de embarque estándar (AIAG B-10 / GTL) y exactitud de ASN medida.",
                    "EDI integrated with the ERP; standard shipping labels (AIAG B-10 / GTL) and ASN accuracy "
                    "measured.",
                ),
                (
                    "Intercambio electrónico con clientes y proveedores, sin captura manual, y ASN sin errores de "
                    "forma sostenida.",
                    "Electronic exchange with customers and suppliers, no manual keying, and consistently "
                    "error-free ASNs.",
                ),
            ),
        ),
        _q(
            "supply_chain.q3",
            "3",
            "¿Cuál es el desempeño de entregas a tiempo y completas?",
            "What is the on-time, in-full delivery performance?",
            (
                (
                    "No se mide; los retrasos se resuelven con fletes urgentes.",
                    "Not measured; delays are solved with expedited freight.",
                ),
                (
                    "Se conoce por las quejas del cliente; fletes premium frecuentes.",
                    "Known from customer complaints; frequent premium freight.",
                ),
                (
                    "Entregas a tiempo medidas mensualmente, 95 % o más; fletes premium registrados.",
                    "On-time delivery measured monthly, 95 % or more; premium freight tracked.",
                ),
                (
                    "98 % o más a tiempo y completas, causas de fallas analizadas y calificación verde en los "
                    "tableros de proveedores de los clientes.",
                    "98 % or more on time and in full, failure causes analysed and green ratings on customers' "
                    "supplier scorecards.",
                ),
                (
                    "100 % sostenido, cero fletes premium y entregas justo a tiempo o en secuencia cuando el "
                    "cliente las requiere.",
                    "Sustained 100 %, no premium freight and just-in-time or in-sequence deliveries when the "
                    "customer requires them.",
                ),
            ),
        ),
        _q(
            "supply_chain.q4",
            "2",
            "¿Cómo se seleccionan, evalúan y desarrollan los proveedores propios?",
            "How are the company's own suppliers selected, evaluated and developed?",
            (
                (
                    "Se compra al más barato disponible; sin evaluación.",
                    "Buying from the cheapest available source; no evaluation.",
                ),
                (
                    "Lista de proveedores aprobados sin criterios documentados.",
                    "Approved supplier list without documented criteria.",
                ),
                (
                    "Selección y evaluación periódica por calidad, entrega y costo; certificados de material exigidos.",
                    "Selection and periodic evaluation on quality, delivery and cost; material certificates required.",
                ),
                (
                    "Requisitos del cliente transmitidos a los proveedores, auditorías en sitio y planes de "
                    "desarrollo para los de bajo desempeño.",
                    "Customer requirements flowed down to suppliers, on-site audits and development plans for "
                    "poor performers.",
                ),
                (
                    "Proveedores clave con IATF 16949 o ISO 9001, riesgos de suministro evaluados y planes de "
                    "continuidad probados.",
                    "Key suppliers IATF 16949 or ISO 9001 certified, supply risks assessed and continuity plans "
                    "tested.",
                ),
            ),
        ),
        _q(
            "supply_chain.q5",
            "1",
            "¿Qué tan preparada está la empresa para el comercio exterior (IMMEX, reglas de origen del T-MEC)?",
            "How prepared is the company for foreign trade (IMMEX, USMCA rules of origin)?",
            (
                (
                    "No conoce los programas de fomento ni las reglas de origen.",
                    "Unaware of trade promotion programmes and rules of origin.",
                ),
                (
                    "Depende totalmente del agente aduanal; sin control propio de importaciones.",
                    "Relies entirely on the customs broker; no own control of imports.",
                ),
                (
                    "Opera con IMMEX o vende a empresas IMMEX con los documentos requeridos (pedimentos, "
                    "constancias de transferencia).",
                    "Operates under IMMEX or sells to IMMEX companies with the required documents (customs "
                    "entries, transfer records).",
                ),
                (
                    "Control de inventarios de importaciones temporales (Anexo 24) y cálculo del contenido "
                    "regional para certificar origen T-MEC.",
                    "Temporary-import inventory control (Annex 24) and regional value content calculation to "
                    "certify USMCA origin.",
                ),
                (
                    "Certificación IVA e IEPS u OEA vigente, auditorías internas de comercio exterior y "
                    "certificaciones de origen emitidas a los clientes.",
                    "Current VAT/IEPS or AEO certification, internal foreign-trade audits and certifications of "
                    "origin issued to customers.",
                ),
            ),
        ),
    ],
}

ENGINEERING = {
    "code": "engineering",
    "name_es": "Ingeniería",
    "name_en": "Engineering",
    "description_es": "Interpretación y diseño de producto, desarrollo de procesos y herramentales, control de "
    "cambios, validación de procesos e innovación.",
    "description_en": "Product interpretation and design, process and tooling development, change control, "
    "process validation and innovation.",
    "weight": Decimal("11"),
    "questions": [
        _q(
            "engineering.q1",
            "2",
            "¿Qué capacidad tiene la empresa para interpretar y desarrollar diseños de producto?",
            "What capability does the company have to interpret and develop product designs?",
            (
                (
                    "Trabaja con muestras o croquis; no interpreta planos con tolerancias geométricas.",
                    "Works from samples or sketches; cannot read drawings with geometric tolerances.",
                ),
                (
                    "Interpreta planos 2D del cliente; dudas frecuentes con tolerancias GD&T.",
                    "Reads the customer's 2D drawings; frequent doubts about GD&T tolerances.",
                ),
                (
                    "Personal que interpreta GD&T y trabaja con modelos 3D del cliente en CAD.",
                    "Staff who read GD&T and work with the customer's 3D models in CAD.",
                ),
                (
                    "Propone cambios de diseño para manufactura (DFM) y análisis de tolerancias.",
                    "Proposes design-for-manufacturing (DFM) changes and tolerance analyses.",
                ),
                (
                    "Diseña componentes propios o en conjunto con el cliente, con validación por simulación y pruebas.",
                    "Designs its own components or co-designs with the customer, validated by simulation and testing.",
                ),
            ),
        ),
        _q(
            "engineering.q2",
            "2",
            "¿Cómo se desarrollan procesos, herramentales y dispositivos?",
            "How are processes, tooling and fixtures developed?",
            (
                (
                    "Por prueba y error en la máquina de producción.",
                    "By trial and error on the production machine.",
                ),
                (
                    "Herramentales comprados sin especificación; ajustes en planta hasta que funcionan.",
                    "Tooling bought without specification; adjusted in the plant until it works.",
                ),
                (
                    "Especificaciones de herramentales y dispositivos, con pruebas y validación antes de producción.",
                    "Tooling and fixture specifications, with tryout and validation before production.",
                ),
                (
                    "Ingeniería de procesos propia con hojas de proceso, balanceo de líneas y análisis de capacidad.",
                    "In-house process engineering with process sheets, line balancing and capacity analysis.",
                ),
                (
                    "Diseña y construye herramentales y equipos especiales, con simulación de procesos "
                    "(formado, llenado de moldes).",
                    "Designs and builds tooling and special equipment, with process simulation (forming, mould "
                    "filling).",
                ),
            ),
        ),
        _q(
            "engineering.q3",
            "2",
            "¿Cómo se controlan los cambios de ingeniería y la documentación técnica?",
            "How are engineering changes and technical documents controlled?",
            (
                (
                    "Los cambios se hacen de palabra; pueden convivir planos de niveles distintos.",
                    "Changes are made by word of mouth; drawings of different revisions may coexist.",
                ),
                (
                    "Control de planos en carpetas; los cambios no siempre llegan al piso.",
                    "Drawings controlled in folders; changes do not always reach the shop floor.",
                ),
                (
                    "Procedimiento de cambios con nivel de revisión, aprobación y retiro de documentos obsoletos.",
                    "Change procedure with revision levels, approval and withdrawal of obsolete documents.",
                ),
                (
                    "Cambios evaluados en AMEF, plan de control y PPAP, y aprobados por el cliente antes de "
                    "implementarse.",
                    "Changes assessed in the FMEA, control plan and PPAP, and approved by the customer before "
                    "implementation.",
                ),
                (
                    "Gestión electrónica de documentos y cambios (PLM/PDM) con trazabilidad del punto de corte en "
                    "producción.",
                    "Electronic document and change management (PLM/PDM) with traceability of the production "
                    "break point.",
                ),
            ),
        ),
        _q(
            "engineering.q4",
            "1",
            "¿Cómo se validan los procesos nuevos antes del arranque de producción (corrida a tasa)?",
            "How are new processes validated before start of production (run at rate)?",
            (
                (
                    "No hay validación; el arranque es la primera corrida real.",
                    "No validation; start of production is the first real run.",
                ),
                (
                    "Se corren unas piezas de prueba sin medir capacidad ni tasa.",
                    "A few trial parts are run without measuring capability or rate.",
                ),
                (
                    "Corrida de prueba con estudios de capacidad preliminares y mediciones completas.",
                    "Trial run with preliminary capability studies and full measurements.",
                ),
                (
                    "Corrida a tasa (run at rate) que demuestra la capacidad contratada con el equipo, "
                    "herramental y personal de producción.",
                    "Run at rate demonstrating contracted capacity with production equipment, tooling and staff.",
                ),
                (
                    "Validación con lanzamiento controlado (contención reforzada) y salida formal basada en datos.",
                    "Validation with controlled launch (early production containment) and data-based formal exit.",
                ),
            ),
        ),
        _q(
            "engineering.q5",
            "1",
            "¿La empresa innova y se prepara para nuevas tecnologías (electromovilidad, aligeramiento, nuevos "
            "materiales)?",
            "Does the company innovate and prepare for new technologies (electromobility, lightweighting, new "
            "materials)?",
            (
                (
                    "No hay actividades de innovación.",
                    "No innovation activities.",
                ),
                (
                    "Mejoras ocasionales a petición del cliente.",
                    "Occasional improvements at the customer's request.",
                ),
                (
                    "Cartera de proyectos de mejora de producto y proceso con presupuesto asignado.",
                    "Portfolio of product and process improvement projects with an allocated budget.",
                ),
                (
                    "Proyectos con universidades o centros de investigación y desarrollo de piezas para vehículos "
                    "eléctricos o materiales ligeros.",
                    "Projects with universities or research centres and development of parts for electric "
                    "vehicles or lightweight materials.",
                ),
                (
                    "Ingresos de productos nuevos medidos, propiedad intelectual registrada y participación en el "
                    "desarrollo temprano de los clientes.",
                    "Revenue from new products measured, registered intellectual property and participation in "
                    "customers' early development.",
                ),
            ),
        ),
    ],
}

MANAGEMENT = {
    "code": "management",
    "name_es": "Gestión y estrategia",
    "name_en": "Management and strategy",
    "description_es": "Planeación estratégica, indicadores, institucionalización, diversificación comercial y "
    "cumplimiento legal y fiscal.",
    "description_en": "Strategic planning, performance indicators, institutionalisation, commercial "
    "diversification and legal and tax compliance.",
    "weight": Decimal("10"),
    "questions": [
        _q(
            "management.q1",
            "2",
            "¿Existe un plan estratégico con objetivos y metas?",
            "Is there a strategic plan with objectives and targets?",
            (
                (
                    "Sin plan; las decisiones se toman día a día.",
                    "No plan; decisions are made day by day.",
                ),
                (
                    "Ideas de crecimiento del dueño, no escritas ni comunicadas.",
                    "The owner's growth ideas, neither written down nor communicated.",
                ),
                (
                    "Plan anual escrito con objetivos de ventas, calidad y costos, comunicado a los mandos.",
                    "Written annual plan with sales, quality and cost objectives, communicated to managers.",
                ),
                (
                    "Plan de 3 a 5 años con despliegue de objetivos por área y revisión trimestral.",
                    "Three-to-five-year plan with objectives cascaded by area and quarterly review.",
                ),
                (
                    "Estrategia revisada con datos del mercado automotriz y riesgos, despliegue (hoshin kanri) "
                    "hasta el piso y resultados consistentes.",
                    "Strategy reviewed with auto-market data and risks, cascaded (hoshin kanri) to the shop floor "
                    "and consistent results.",
                ),
            ),
        ),
        _q(
            "management.q2",
            "2",
            "¿Se gestionan las operaciones con indicadores y juntas de seguimiento?",
            "Are operations managed with indicators and review meetings?",
            (
                (
                    "No hay indicadores.",
                    "No indicators.",
                ),
                (
                    "Se conocen las ventas y la producción del mes; otros datos no se registran.",
                    "Monthly sales and output are known; other data are not recorded.",
                ),
                (
                    "Tablero de indicadores (calidad, entregas, productividad, seguridad) revisado mensualmente.",
                    "Indicator board (quality, delivery, productivity, safety) reviewed monthly.",
                ),
                (
                    "Juntas diarias en piso y revisión por la dirección con planes de acción y responsables.",
                    "Daily shop-floor meetings and management review with action plans and owners.",
                ),
                (
                    "Indicadores en tiempo real ligados a la estrategia, con tendencias de mejora sostenidas.",
                    "Real-time indicators linked to the strategy, with sustained improvement trends.",
                ),
            ),
        ),
        _q(
            "management.q3",
            "2",
            "¿Qué tan institucionalizada está la empresa (organización, roles, gobierno)?",
            "How institutionalised is the company (organisation, roles, governance)?",
            (
                (
                    "Todo depende del dueño; no hay organigrama.",
                    "Everything depends on the owner; no organisation chart.",
                ),
                (
                    "Organigrama básico; las decisiones siguen concentradas en el dueño.",
                    "Basic organisation chart; decisions remain concentrated in the owner.",
                ),
                (
                    "Puestos con descripciones y responsables de área que deciden dentro de su ámbito.",
                    "Job descriptions and area managers who decide within their scope.",
                ),
                (
                    "Consejo o comité de dirección con reuniones periódicas; plan de sucesión para puestos clave.",
                    "Board or management committee meeting regularly; succession plan for key roles.",
                ),
                (
                    "Gobierno corporativo con consejeros independientes, protocolo familiar cuando aplica y "
                    "separación clara entre propiedad y gestión.",
                    "Corporate governance with independent directors, a family protocol where relevant and a clear "
                    "split between ownership and management.",
                ),
            ),
        ),
        _q(
            "management.q4",
            "2",
            "¿Qué tan diversificada y activa es la gestión comercial?",
            "How diversified and active is commercial management?",
            (
                (
                    "Un solo cliente concentra casi todas las ventas; no hay esfuerzo comercial.",
                    "One customer accounts for almost all sales; no sales effort.",
                ),
                (
                    "Pocos clientes; las cotizaciones se hacen sin costeo formal.",
                    "Few customers; quotations are prepared without formal costing.",
                ),
                (
                    "Ningún cliente supera la mitad de las ventas; cartera de prospectos en el sector automotriz.",
                    "No customer above half of sales; pipeline of automotive prospects.",
                ),
                (
                    "Plan comercial con metas por cliente y segmento; registrada como proveedor en portales de "
                    "armadoras o Tier 1.",
                    "Commercial plan with targets per customer and segment; registered as a supplier on automaker "
                    "or Tier 1 portals.",
                ),
                (
                    "Clientes en varios segmentos y países, ninguno con más de un tercio de las ventas, y "
                    "nominaciones en programas nuevos.",
                    "Customers in several segments and countries, none above a third of sales, and nominations on "
                    "new programmes.",
                ),
            ),
        ),
        _q(
            "management.q5",
            "2",
            "¿La empresa está al corriente en sus obligaciones legales, fiscales y laborales?",
            "Is the company up to date with its legal, tax and labour obligations?",
            (
                (
                    "Adeudos o incumplimientos conocidos ante el SAT o el IMSS.",
                    "Known arrears or non-compliance with the SAT or the IMSS.",
                ),
                (
                    "Obligaciones atendidas de forma reactiva; no se consultan las opiniones de cumplimiento.",
                    "Obligations handled reactively; compliance opinions are not checked.",
                ),
                (
                    "Opiniones de cumplimiento del SAT y del IMSS positivas y actas y poderes vigentes.",
                    "Positive SAT and IMSS compliance opinions and up-to-date corporate records and powers of "
                    "attorney.",
                ),
                (
                    "Calendario de obligaciones con responsables y revisión legal de contratos con clientes.",
                    "Compliance calendar with owners and legal review of customer contracts.",
                ),
                (
                    "Cumplimiento verificado por auditoría externa, incluido el registro REPSE cuando presta "
                    "servicios especializados.",
                    "Compliance verified by external audit, including REPSE registration when it provides "
                    "specialised services.",
                ),
            ),
        ),
    ],
}

FINANCE = {
    "code": "finance",
    "name_es": "Finanzas",
    "name_en": "Finance",
    "description_es": "Costeo, flujo de efectivo, información financiera, acceso a financiamiento e inversión.",
    "description_en": "Costing, cash flow, financial reporting, access to finance and investment.",
    "weight": Decimal("9"),
    "questions": [
        _q(
            "finance.q1",
            "3",
            "¿Conoce la empresa el costo real por pieza y el margen por producto y cliente?",
            "Does the company know the real cost per part and the margin per product and customer?",
            (
                (
                    "Precios fijados por el mercado o la intuición; costos desconocidos.",
                    "Prices set by the market or by intuition; costs unknown.",
                ),
                (
                    "Costo estimado de material y mano de obra; los indirectos no se asignan.",
                    "Estimated material and labour cost; overheads not allocated.",
                ),
                (
                    "Costeo estándar por pieza con materiales, mano de obra, indirectos y tasa por máquina.",
                    "Standard cost per part with materials, labour, overheads and machine-hour rates.",
                ),
                (
                    "Costos reales contra estándar mensuales, márgenes por cliente y cotizaciones con desglose de "
                    "costos.",
                    "Monthly actual-versus-standard costs, margins per customer and quotations with cost breakdown.",
                ),
                (
                    "Costeo por actividades, ajustes de precio por materias primas negociados con datos y "
                    "objetivos de reducción de costo anuales cumplidos.",
                    "Activity-based costing, raw-material price adjustments negotiated with data and annual "
                    "cost-reduction targets met.",
                ),
            ),
        ),
        _q(
            "finance.q2",
            "2",
            "¿Cómo se gestionan el flujo de efectivo y el capital de trabajo?",
            "How are cash flow and working capital managed?",
            (
                (
                    "Sin control; problemas frecuentes para pagar nómina o proveedores.",
                    "No control; frequent trouble paying payroll or suppliers.",
                ),
                (
                    "Saldo bancario revisado a diario, sin proyección.",
                    "Bank balance checked daily, no projection.",
                ),
                (
                    "Flujo de efectivo proyectado a 13 semanas y control de cuentas por cobrar y por pagar.",
                    "13-week cash-flow forecast and control of receivables and payables.",
                ),
                (
                    "Indicadores de ciclo de conversión de efectivo y uso de factoraje o cadenas productivas para "
                    "cubrir los plazos de pago de los clientes.",
                    "Cash-conversion-cycle indicators and use of factoring or supply-chain finance to bridge "
                    "customers' payment terms.",
                ),
                (
                    "Capital de trabajo optimizado, líneas de crédito disponibles y reservas para el arranque de "
                    "programas nuevos.",
                    "Optimised working capital, available credit lines and reserves for new programme launches.",
                ),
            ),
        ),
        _q(
            "finance.q3",
            "2",
            "¿Qué calidad tiene la información financiera?",
            "How good is the financial reporting?",
            (
                (
                    "Sólo declaraciones fiscales; las finanzas personales y de la empresa se mezclan.",
                    "Only tax returns; personal and company finances are mixed.",
                ),
                (
                    "Contabilidad externa con estados financieros anuales.",
                    "External bookkeeping with annual financial statements.",
                ),
                (
                    "Estados financieros mensuales con cierre oportuno y presupuesto anual.",
                    "Monthly financial statements closed on time and an annual budget.",
                ),
                (
                    "Estados financieros auditados por un despacho externo y análisis de variaciones contra "
                    "presupuesto.",
                    "Financial statements audited by an external firm and variance analysis against budget.",
                ),
                (
                    "Información financiera auditada, con indicadores y reportes a consejo o inversionistas en "
                    "los primeros días del mes.",
                    "Audited financial information, with indicators and reports to the board or investors within "
                    "the first days of the month.",
                ),
            ),
        ),
        _q(
            "finance.q4",
            "2",
            "¿Qué acceso tiene la empresa a financiamiento formal?",
            "What access does the company have to formal finance?",
            (
                (
                    "Sin crédito formal; se financia con recursos del dueño o proveedores.",
                    "No formal credit; funded by the owner or suppliers.",
                ),
                (
                    "Tarjetas empresariales o créditos de corto plazo caros.",
                    "Business cards or expensive short-term loans.",
                ),
                (
                    "Historial crediticio sano y al menos una línea bancaria de capital de trabajo.",
                    "Healthy credit history and at least one bank working-capital line.",
                ),
                (
                    "Crédito para equipo a mediano plazo y uso de programas de la banca de desarrollo (NAFIN, "
                    "Bancomext).",
                    "Medium-term equipment loans and use of development-bank programmes (NAFIN, Bancomext).",
                ),
                (
                    "Estructura de financiamiento diversificada y negociada en buenas condiciones; capacidad de "
                    "deuda medida.",
                    "Diversified financing negotiated on good terms; debt capacity measured.",
                ),
            ),
        ),
        _q(
            "finance.q5",
            "1",
            "¿Cómo se deciden y evalúan las inversiones?",
            "How are investments decided and evaluated?",
            (
                (
                    "Se compra equipo cuando hay dinero, sin análisis.",
                    "Equipment is bought when there is money, without analysis.",
                ),
                (
                    "Se cotizan alternativas, sin calcular el retorno.",
                    "Alternatives are quoted, without calculating the return.",
                ),
                (
                    "Cada inversión relevante tiene un análisis de retorno y de recuperación.",
                    "Each significant investment has a return and payback analysis.",
                ),
                (
                    "Plan anual de inversiones ligado a la estrategia y a los programas nominados por clientes.",
                    "Annual investment plan linked to the strategy and to programmes nominated by customers.",
                ),
                (
                    "Seguimiento posterior del retorno real de cada inversión contra lo proyectado.",
                    "Post-investment review of actual versus projected return for each investment.",
                ),
            ),
        ),
    ],
}

PEOPLE = {
    "code": "people",
    "name_es": "Personas",
    "name_en": "People",
    "description_es": "Capacitación, rotación, liderazgo, seguridad y salud en el trabajo, y mejora continua.",
    "description_en": "Training, staff turnover, leadership, occupational health and safety, and continuous "
    "improvement.",
    "weight": Decimal("9"),
    "questions": [
        _q(
            "people.q1",
            "2",
            "¿Cómo se capacita y certifica al personal?",
            "How are staff trained and qualified?",
            (
                (
                    "Aprendizaje informal junto a un compañero.",
                    "Informal learning next to a co-worker.",
                ),
                (
                    "Inducción general; capacitación sin registros.",
                    "General induction; training not recorded.",
                ),
                (
                    "Matriz de habilidades por puesto y plan anual de capacitación con registros (DC-3 cuando aplica).",
                    "Skills matrix per job and an annual training plan with records (DC-3 where applicable).",
                ),
                (
                    "Certificación de operadores antes de trabajar solos y polivalencia planeada; eficacia de la "
                    "capacitación evaluada.",
                    "Operators certified before working alone and planned multi-skilling; training effectiveness "
                    "evaluated.",
                ),
                (
                    "Escuela interna o convenio dual con instituciones técnicas y planes de carrera para puestos "
                    "clave.",
                    "In-house training centre or dual programme with technical schools and career plans for key roles.",
                ),
            ),
        ),
        _q(
            "people.q2",
            "2",
            "¿Cómo se miden y gestionan la rotación y el ausentismo?",
            "How are staff turnover and absenteeism measured and managed?",
            (
                (
                    "No se miden; la rotación afecta la producción.",
                    "Not measured; turnover disrupts production.",
                ),
                (
                    "Se conocen las bajas del mes sin analizar causas.",
                    "Monthly leavers are known but causes are not analysed.",
                ),
                (
                    "Rotación y ausentismo medidos mensualmente con entrevistas de salida.",
                    "Turnover and absenteeism measured monthly with exit interviews.",
                ),
                (
                    "Acciones sobre las causas (salarios de mercado, clima laboral) y rotación por debajo del "
                    "promedio de la región.",
                    "Actions on the causes (market pay, work climate) and turnover below the regional average.",
                ),
                (
                    "Rotación baja y estable, encuestas de clima periódicas y factores de riesgo psicosocial "
                    "atendidos (NOM-035-STPS).",
                    "Low, stable turnover, regular climate surveys and psychosocial risk factors addressed "
                    "(NOM-035-STPS).",
                ),
            ),
        ),
        _q(
            "people.q3",
            "1",
            "¿Qué tan preparados están los supervisores y mandos medios?",
            "How prepared are supervisors and middle managers?",
            (
                (
                    "Supervisores promovidos sin formación; la gestión es por reacción.",
                    "Supervisors promoted without training; management by reaction.",
                ),
                (
                    "Algunos cursos aislados de liderazgo.",
                    "A few isolated leadership courses.",
                ),
                (
                    "Programa de formación de supervisores en liderazgo, solución de problemas y seguridad.",
                    "Supervisor training programme in leadership, problem solving and safety.",
                ),
                (
                    "Mandos que dirigen juntas diarias, dan seguimiento a indicadores y desarrollan a su equipo.",
                    "Managers who run daily meetings, follow up indicators and develop their teams.",
                ),
                (
                    "Líderes formados internamente cubren las vacantes de mando; evaluación de desempeño con "
                    "objetivos.",
                    "Internally developed leaders fill management vacancies; performance appraisal against objectives.",
                ),
            ),
        ),
        _q(
            "people.q4",
            "3",
            "¿Cómo se gestionan la seguridad y la salud en el trabajo?",
            "How are occupational health and safety managed?",
            (
                (
                    "Sin comisión de seguridad e higiene ni análisis de riesgos; los accidentes no se registran.",
                    "No health and safety committee or risk analysis; accidents are not recorded.",
                ),
                (
                    "Comisión de seguridad e higiene constituida (NOM-019-STPS) y equipo de protección entregado; "
                    "accidentes registrados sin análisis.",
                    "Health and safety committee set up (NOM-019-STPS) and protective equipment issued; accidents "
                    "recorded without analysis.",
                ),
                (
                    "Análisis de riesgos por puesto, resguardos y bloqueo/etiquetado en maquinaria (NOM-004-STPS) "
                    "e investigación de cada accidente.",
                    "Risk analysis per job, machine guarding and lockout/tagout (NOM-004-STPS) and investigation of "
                    "every accident.",
                ),
                (
                    "Índices de frecuencia y gravedad a la baja, cuasi accidentes reportados y auditorías de "
                    "seguridad periódicas.",
                    "Falling frequency and severity rates, near misses reported and regular safety audits.",
                ),
                (
                    "ISO 45001 o sistema equivalente, cultura de reporte y ningún accidente con incapacidad en el "
                    "último año.",
                    "ISO 45001 or an equivalent system, a reporting culture and no lost-time accident in the last "
                    "year.",
                ),
            ),
            critical=True,
        ),
        _q(
            "people.q5",
            "1",
            "¿Participa el personal en la mejora continua?",
            "Do staff take part in continuous improvement?",
            (
                (
                    "Las mejoras vienen sólo de la dirección.",
                    "Improvements come only from management.",
                ),
                (
                    "Buzón de sugerencias con poca respuesta.",
                    "Suggestion box with little follow-up.",
                ),
                (
                    "Sistema de sugerencias con respuesta y reconocimiento; algunos equipos de mejora.",
                    "Suggestion system with feedback and recognition; some improvement teams.",
                ),
                (
                    "Equipos de mejora o círculos de calidad en todas las áreas, con ahorros medidos.",
                    "Improvement teams or quality circles in every area, with measured savings.",
                ),
                (
                    "Cultura kaizen: la mayoría del personal implementa mejoras cada año y las comparte entre áreas.",
                    "Kaizen culture: most staff implement improvements every year and share them across areas.",
                ),
            ),
        ),
    ],
}

SUSTAINABILITY = {
    "code": "sustainability",
    "name_es": "Sostenibilidad",
    "name_en": "Sustainability",
    "description_es": "Gestión ambiental, energía y emisiones, sustancias en los materiales y responsabilidad social.",
    "description_en": "Environmental management, energy and emissions, substances in materials and social "
    "responsibility.",
    "weight": Decimal("7"),
    "questions": [
        _q(
            "sustainability.q1",
            "2",
            "¿Cómo se gestionan los aspectos ambientales y el cumplimiento ambiental?",
            "How are environmental aspects and environmental compliance managed?",
            (
                (
                    "Sin identificación de aspectos ambientales ni registro como generador de residuos peligrosos.",
                    "No identification of environmental aspects and no registration as a hazardous-waste generator.",
                ),
                (
                    "Registro como generador de residuos peligrosos y manifiestos de entrega; cumplimiento reactivo.",
                    "Registered as a hazardous-waste generator with disposal manifests; reactive compliance.",
                ),
                (
                    "Aspectos ambientales identificados, permisos vigentes (licencia ambiental, Cédula de Operación "
                    "Anual cuando aplica) y objetivos ambientales.",
                    "Environmental aspects identified, permits current (environmental licence, Annual Operating "
                    "Report where applicable) and environmental objectives.",
                ),
                (
                    "ISO 14001 o certificado de Industria Limpia (PROFEPA) vigente.",
                    "Current ISO 14001 or PROFEPA Clean Industry certificate.",
                ),
                (
                    "ISO 14001 con metas de reducción y reciclaje de residuos, economía circular con clientes y "
                    "cero hallazgos de la autoridad.",
                    "ISO 14001 with waste-reduction and recycling targets, circular-economy work with customers and "
                    "no findings from the authorities.",
                ),
            ),
        ),
        _q(
            "sustainability.q2",
            "2",
            "¿Se miden y reducen el consumo de energía y las emisiones?",
            "Are energy use and emissions measured and reduced?",
            (
                (
                    "No se mide el consumo de energía.",
                    "Energy use is not measured.",
                ),
                (
                    "Se revisa el recibo de electricidad mensual.",
                    "The monthly electricity bill is checked.",
                ),
                (
                    "Consumo de energía por unidad producida medido y proyectos de ahorro (aire comprimido, "
                    "iluminación, hornos).",
                    "Energy per unit produced measured and savings projects (compressed air, lighting, furnaces).",
                ),
                (
                    "Inventario de gases de efecto invernadero de alcances 1 y 2 y metas de reducción.",
                    "Scope 1 and 2 greenhouse-gas inventory and reduction targets.",
                ),
                (
                    "ISO 50001 o energía renovable contratada, con reducciones verificadas y reportadas a los "
                    "clientes.",
                    "ISO 50001 or contracted renewable energy, with verified reductions reported to customers.",
                ),
            ),
        ),
        _q(
            "sustainability.q3",
            "1",
            "¿Se controlan las sustancias de los materiales y se declaran a los clientes (IMDS)?",
            "Are substances in materials controlled and declared to customers (IMDS)?",
            (
                (
                    "No se conoce la composición de los materiales usados.",
                    "The composition of the materials used is unknown.",
                ),
                (
                    "Hojas de datos de seguridad disponibles para los químicos.",
                    "Safety data sheets available for chemicals.",
                ),
                (
                    "Declaraciones de materiales en IMDS cuando el cliente las solicita.",
                    "Material declarations in IMDS when the customer requests them.",
                ),
                (
                    "Control de sustancias restringidas (REACH, GADSL) con certificados de los proveedores.",
                    "Restricted-substance control (REACH, GADSL) with supplier certificates.",
                ),
                (
                    "Todas las piezas declaradas en IMDS y sustitución proactiva de sustancias de riesgo.",
                    "All parts declared in IMDS and proactive substitution of substances of concern.",
                ),
            ),
        ),
        _q(
            "sustainability.q4",
            "1",
            "¿Tiene la empresa políticas de ética y responsabilidad social?",
            "Does the company have ethics and social responsibility policies?",
            (
                (
                    "Sin políticas escritas.",
                    "No written policies.",
                ),
                (
                    "Reglamento interior de trabajo sin temas de ética.",
                    "Internal work rules without ethics topics.",
                ),
                (
                    "Código de conducta comunicado, con reglas contra la corrupción y el trabajo infantil.",
                    "Code of conduct communicated, with rules against corruption and child labour.",
                ),
                (
                    "Canal de denuncias confidencial y requisitos de conducta transmitidos a los proveedores.",
                    "Confidential whistle-blowing channel and conduct requirements flowed down to suppliers.",
                ),
                (
                    "Autoevaluaciones de sostenibilidad solicitadas por clientes con buena calificación y "
                    "programas con la comunidad.",
                    "Customer-requested sustainability self-assessments rated well and community programmes.",
                ),
            ),
        ),
    ],
}

DIGITAL = {
    "code": "digital",
    "name_es": "Digitalización",
    "name_en": "Digitalisation",
    "description_es": "Sistemas de gestión (ERP), datos de planta (MES), ciberseguridad, herramientas de "
    "ingeniería y documentos fiscales electrónicos.",
    "description_en": "Management systems (ERP), shop-floor data (MES), cybersecurity, engineering tools and "
    "electronic tax documents.",
    "weight": Decimal("8"),
    "questions": [
        _q(
            "digital.q1",
            "2",
            "¿Qué sistema de gestión empresarial (ERP) se usa?",
            "What enterprise resource planning (ERP) system is used?",
            (
                (
                    "Cuadernos y hojas de cálculo sueltas.",
                    "Notebooks and loose spreadsheets.",
                ),
                (
                    "Sistema contable y de facturación; producción e inventarios fuera del sistema.",
                    "Accounting and invoicing system; production and inventory kept outside it.",
                ),
                (
                    "ERP con compras, inventarios, producción y ventas integrados.",
                    "ERP with purchasing, inventory, production and sales integrated.",
                ),
                (
                    "ERP usado en tiempo real con MRP, costos y trazabilidad de lotes.",
                    "ERP used in real time with MRP, costing and lot traceability.",
                ),
                (
                    "ERP integrado con EDI de clientes, sistemas de planta e inteligencia de negocios.",
                    "ERP integrated with customer EDI, shop-floor systems and business intelligence.",
                ),
            ),
        ),
        _q(
            "digital.q2",
            "2",
            "¿Cómo se capturan y usan los datos de producción en planta (MES)?",
            "How are production data captured and used on the shop floor (MES)?",
            (
                (
                    "No se registran datos de producción.",
                    "Production data are not recorded.",
                ),
                (
                    "Registros en papel capturados después en hojas de cálculo.",
                    "Paper records keyed into spreadsheets later.",
                ),
                (
                    "Captura digital en planta (tabletas o terminales) de producción, paros y scrap.",
                    "Digital capture on the floor (tablets or terminals) of output, downtime and scrap.",
                ),
                (
                    "MES o adquisición automática de datos de máquina con tableros en tiempo real.",
                    "MES or automatic machine data acquisition with real-time dashboards.",
                ),
                (
                    "Datos de máquinas y procesos conectados (IIoT) usados para análisis predictivo y control de "
                    "proceso.",
                    "Connected machine and process data (IIoT) used for predictive analytics and process control.",
                ),
            ),
        ),
        _q(
            "digital.q3",
            "2",
            "¿Cómo se protege la información y los sistemas (ciberseguridad)?",
            "How are information and systems protected (cybersecurity)?",
            (
                (
                    "Sin respaldos ni control de accesos; contraseñas compartidas.",
                    "No backups or access control; shared passwords.",
                ),
                (
                    "Antivirus y respaldos ocasionales.",
                    "Antivirus and occasional backups.",
                ),
                (
                    "Respaldos periódicos probados, usuarios individuales y actualización de equipos.",
                    "Regular tested backups, individual user accounts and patched equipment.",
                ),
                (
                    "Políticas de seguridad de la información, doble factor de autenticación y protección de "
                    "planos y datos de clientes.",
                    "Information security policies, two-factor authentication and protection of customer "
                    "drawings and data.",
                ),
                (
                    "Evaluación TISAX o ISO/IEC 27001, plan de respuesta a incidentes y redes de planta segmentadas.",
                    "TISAX assessment or ISO/IEC 27001, incident response plan and segmented plant networks.",
                ),
            ),
        ),
        _q(
            "digital.q4",
            "1",
            "¿Qué herramientas digitales de ingeniería se usan (CAD, CAM, CAE)?",
            "Which digital engineering tools are used (CAD, CAM, CAE)?",
            (
                (
                    "Ninguna.",
                    "None.",
                ),
                (
                    "CAD 2D para consultar planos.",
                    "2D CAD for viewing drawings.",
                ),
                (
                    "CAD 3D compatible con los formatos de los clientes y CAM para programar máquinas CNC.",
                    "3D CAD compatible with customers' formats and CAM for programming CNC machines.",
                ),
                (
                    "Simulación (CAE) de procesos o producto e inspección con datos CAD (CMM, escáner 3D).",
                    "Process or product simulation (CAE) and inspection against CAD data (CMM, 3D scanning).",
                ),
                (
                    "Hilo digital del diseño a la manufactura y la inspección, con gemelo digital de procesos clave.",
                    "Digital thread from design to manufacturing and inspection, with a digital twin of key processes.",
                ),
            ),
        ),
        _q(
            "digital.q5",
            "1",
            "¿Qué tan digitalizados están los documentos comerciales y fiscales (CFDI, portales de proveedores)?",
            "How digital are commercial and tax documents (CFDI, supplier portals)?",
            (
                (
                    "Facturación a través de terceros sin control propio.",
                    "Invoicing through third parties without own control.",
                ),
                (
                    "Facturas electrónicas CFDI emitidas manualmente.",
                    "CFDI electronic invoices issued manually.",
                ),
                (
                    "CFDI 4.0 emitidos desde el sistema, con complementos de pago y carga en los portales de los "
                    "clientes.",
                    "CFDI 4.0 issued from the system, with payment complements and upload to customers' portals.",
                ),
                (
                    "Facturación ligada al embarque y al ASN; complemento Carta Porte cuando transporta mercancías.",
                    "Invoicing linked to shipment and ASN; Carta Porte complement when it carries goods.",
                ),
                (
                    "Ciclo de pedido a cobro automatizado y conciliación electrónica con clientes y bancos.",
                    "Automated order-to-cash cycle and electronic reconciliation with customers and banks.",
                ),
            ),
        ),
    ],
}

BANDS = [
    {
        "level": 1,
        "name_es": "Inicial",
        "name_en": "Initial",
        "description_es": "Prácticas informales; la empresa depende de personas clave y reacciona a los problemas.",
        "description_en": "Informal practices; the company depends on key people and reacts to problems.",
        "min_score": Decimal("0"),
        "max_score": Decimal("20"),
    },
    {
        "level": 2,
        "name_es": "Básico",
        "name_en": "Basic",
        "description_es": "Controles básicos documentados, aplicados de forma irregular.",
        "description_en": "Basic documented controls, applied unevenly.",
        "min_score": Decimal("20"),
        "max_score": Decimal("40"),
    },
    {
        "level": 3,
        "name_es": "Intermedio",
        "name_en": "Intermediate",
        "description_es": "Sistemas definidos y aplicados; puede atender clientes automotrices con apoyo.",
        "description_en": "Defined systems in use; can serve automotive customers with support.",
        "min_score": Decimal("40"),
        "max_score": Decimal("60"),
    },
    {
        "level": 4,
        "name_es": "Avanzado",
        "name_en": "Advanced",
        "description_es": "Procesos medidos y gestionados al nivel que exigen armadoras y proveedores Tier 1.",
        "description_en": "Measured, managed processes at the level automakers and Tier 1 suppliers expect.",
        "min_score": Decimal("60"),
        "max_score": Decimal("80"),
    },
    {
        "level": 5,
        "name_es": "Clase mundial",
        "name_en": "World class",
        "description_es": "Mejores prácticas de la industria, mejora continua sostenida e innovación.",
        "description_en": "Industry best practice, sustained continuous improvement and innovation.",
        "min_score": Decimal("80"),
        "max_score": Decimal("100"),  # the top band includes 100
    },
]

FRAMEWORK = {
    "code": "sdp-auto-parts",
    "version": 1,
    "name_es": "Modelo de madurez para proveedores de autopartes",
    "name_en": "Maturity model for auto-parts suppliers",
    "description_es": "Diagnóstico de madurez del Programa de Desarrollo de Proveedores INA-IFC: nueve "
    "dimensiones ponderadas, preguntas calificadas del 1 al 5 con descriptores observables, y preguntas "
    "críticas que limitan el nivel global.",
    "description_en": "Maturity diagnostic of the INA-IFC Supplier Development Program: nine weighted "
    "dimensions, questions rated 1 to 5 with observable descriptors, and critical questions that cap the "
    "overall level.",
    "dimensions": [
        QUALITY,
        PRODUCTION,
        SUPPLY_CHAIN,
        ENGINEERING,
        MANAGEMENT,
        FINANCE,
        PEOPLE,
        SUSTAINABILITY,
        DIGITAL,
    ],
    "bands": BANDS,
}

DIMENSION_CODES: tuple[str, ...] = tuple(d["code"] for d in FRAMEWORK["dimensions"])
