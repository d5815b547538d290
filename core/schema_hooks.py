"""Post-processing of the OpenAPI schema (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``)."""


def empty_filter_values(result, generator, request, public):
    """A choice filter given empty (``?status=``, as an HTML filter form sends it) filters nothing:
    say so in the schema, so that a client may send it and a schema check expects it to be accepted."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if parameter.get("in") != "query":
                    continue
                schema = parameter.get("schema", {})
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                if "enum" in target and "" not in target["enum"]:
                    target["enum"] = [*target["enum"], ""]
                    parameter["description"] = (parameter.get("description", "") + " Empty: no filter.").strip()
    return result
