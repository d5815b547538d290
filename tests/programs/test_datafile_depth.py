"""A data file nested thousands of levels deep (a framework upload, say) is a data file problem, not a crash."""

import pytest

from programs.datafiles import DataFileError, parse_yaml


@pytest.mark.parametrize(
    "text", ["[" * 20_000 + "]" * 20_000, "a:\n" + "".join(" " * i + "- \n" for i in range(1, 3000))]
)
def test_deeply_nested_yaml_is_a_data_file_error(text):
    with pytest.raises(DataFileError) as refused:
        parse_yaml(text, file="framework.yaml")
    assert refused.value.problems[0].file == "framework.yaml"
