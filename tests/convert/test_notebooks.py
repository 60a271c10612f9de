"""Notebook conversion: what is rewritten, kept byte for byte, or reported."""

from __future__ import annotations

import json

import nbformat

from compat.convert.notebook import convert_notebook_text


def _notebook(*cells: object, nbformat_minor: int = 5) -> dict[str, object]:
    return {
        "nbformat": 4,
        "nbformat_minor": nbformat_minor,
        "metadata": {"kernelspec": {"name": "python2", "display_name": "Python 2"}},
        "cells": list(cells),
    }


def _code(
    source: object, cell_id: str, outputs: list[object] | None = None
) -> dict[str, object]:
    return {
        "cell_type": "code",
        "id": cell_id,
        "metadata": {"collapsed": False},
        "execution_count": 7,
        "outputs": outputs or [],
        "source": source,
    }


STALE = [{"output_type": "stream", "name": "stdout", "text": "old\n"}]


def test_cells_ids_markdown_metadata_and_attachments_survive() -> None:
    markdown = {
        "cell_type": "markdown",
        "id": "md-1",
        "metadata": {"tags": ["intro"]},
        "source": "# LSTMs\n![x](attachment:x.png)",
        "attachments": {"x.png": {"image/png": "iVBORw0KGgo="}},
    }
    nb = _notebook(
        markdown,
        _code(["import numpy as np\n", "import tensorflow as tf"], "c-1", STALE),
        _code("x = np.arange(3)\nprint(x)", "c-2", STALE),
        _code("y = tf.placeholder(tf.float32)", "c-3", STALE),
    )
    result = convert_notebook_text(json.dumps(nb), "nb.ipynb")
    assert result.status == "converted" and result.warnings == []
    out = nbformat.reads(result.output, as_version=4)
    assert [c.get("id") for c in out.cells] == ["md-1", "c-1", "c-2", "c-3"]
    assert out.cells[0].source == markdown["source"]
    assert out.cells[0].attachments == markdown["attachments"]
    assert out.cells[0].metadata == {"tags": ["intro"]}
    assert out.metadata.kernelspec.name == "python2"
    # Changed cells lose stale outputs; an untouched cell keeps them.
    assert out.cells[1].outputs == [] and out.cells[1].execution_count is None
    assert out.cells[2].outputs[0]["text"] == "old\n"
    assert out.cells[2].execution_count == 7
    assert out.cells[3].source == "y = tf.compat.v1.placeholder(tf.float32)"
    assert out.cells[1].source == (
        "import numpy as np\nimport tensorflow as tf\n"
        "tf.compat.v1.disable_eager_execution()"
    )
    # Every code cell says which legacy cell it came from.
    assert [c.metadata["tf1compat"]["legacy_cell"] for c in out.cells[1:]] == [1, 2, 3]
    assert out.cells[1].metadata["collapsed"] is False


def test_ipython_lines_are_kept_and_code_around_them_converted() -> None:
    source = (
        "%matplotlib inline\n"
        "import tensorflow as tf\n"
        "files = !ls\n"
        "!echo hello\n"
        "tf.placeholder?\n"
        "for i in range(2):\n"
        "    !echo $i\n"
        "%time s = tf.Session()\n"
    )
    nb = _notebook(_code(source, "a"), _code("%%bash\necho tf.placeholder\n", "b"))
    result = convert_notebook_text(json.dumps(nb), "nb.ipynb")
    out = nbformat.reads(result.output, as_version=4)
    assert out.cells[0].source == (
        "%matplotlib inline\n"
        "import tensorflow as tf\n"
        "tf.compat.v1.disable_eager_execution()\n"
        "files = !ls\n"
        "!echo hello\n"
        "tf.placeholder?\n"
        "for i in range(2):\n"
        "    !echo $i\n"
        "%time s = tf.compat.v1.Session()\n"
    )
    assert out.cells[1].source == "%%bash\necho tf.placeholder\n"
    assert [w.message for w in result.warnings] == [
        "IPython line uses TensorFlow and was left as it is; convert it by hand"
    ]
    assert result.warnings[0].cell == 0 and result.warnings[0].line == 5


def test_unparsable_cell_is_left_byte_identical_and_reported() -> None:
    broken = "x = (1,\ny = tf.placeholder(tf.float32)\n"
    nb = _notebook(
        _code("import tensorflow as tf", "a"),
        _code(broken, "b", STALE),
        _code("print 'py2 is fine'\nz = tf.placeholder(tf.int32)", "c"),
    )
    result = convert_notebook_text(json.dumps(nb), "nb.ipynb")
    out = nbformat.reads(result.output, as_version=4)
    assert out.cells[1].source == broken
    assert out.cells[1].outputs[0]["text"] == "old\n"
    assert (
        out.cells[2].source
        == "print('py2 is fine')\nz = tf.compat.v1.placeholder(tf.int32)"
    )
    (warning,) = result.warnings
    assert warning.cell == 1 and warning.line is not None
    assert warning.message.startswith("not converted: the code does not parse")


def test_tf1_pip_pin_is_reported() -> None:
    nb = _notebook(_code("!pip install tensorflow==1.15\nimport tensorflow as tf", "a"))
    result = convert_notebook_text(json.dumps(nb), "nb.ipynb")
    assert any("installs TensorFlow 1.x" in w.message for w in result.warnings)


def test_nbformat3_is_upgraded_and_string_sources_accepted() -> None:
    v3 = {
        "nbformat": 3,
        "nbformat_minor": 0,
        "metadata": {"name": "old"},
        "worksheets": [
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "input": "import tensorflow as tf\nsess = tf.Session()",
                        "language": "python",
                        "outputs": [],
                        "metadata": {},
                    }
                ]
            }
        ],
    }
    result = convert_notebook_text(json.dumps(v3), "old.ipynb")
    assert result.status == "converted"
    assert result.changes[0].old == "nbformat 3"
    out = nbformat.reads(result.output, as_version=4)
    assert out.nbformat == 4
    assert out.cells[0].source.endswith("sess = tf.compat.v1.Session()")


def test_unchanged_notebook_text_is_returned_verbatim() -> None:
    text = json.dumps(_notebook(_code("print(1)", "a")), indent=3)
    result = convert_notebook_text(text, "nb.ipynb")
    assert result.status == "unchanged"
    assert result.output == text


def test_bad_notebooks_fail_without_output() -> None:
    for text, message in (
        ("{oops", "invalid JSON at line 1"),
        ("[1, 2]", "no 'cells'"),
        (
            '{"cells": "nope", "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
            "not a notebook",
        ),
    ):
        result = convert_notebook_text(text, "bad.ipynb")
        assert result.status == "failed" and result.output is None
        assert message in (result.error or "")
