"""The public API is declared once, in storyline.__all__, and it must not drift."""

import storyline


def test_all_names_resolve():
    for name in storyline.__all__:
        assert getattr(storyline, name) is not None, name


def test_all_is_sorted_set_of_public_api():
    expected = {
        "open_store", "Store", "ingest", "reannotate", "reresolve", "read_paths", "read_bytes",
        "IngestFailure", "IngestReport", "build_pipeline", "annotate", "resolve", "export_json",
        "write_export", "views", "Settings", "load_settings", "StorylineError", "IngestError",
        "PipelineError", "StoreError", "ConfigError",
    }
    assert expected <= set(storyline.__all__)
    assert len(storyline.__all__) == len(set(storyline.__all__))


def test_import_does_not_load_spacy():
    import subprocess
    import sys

    code = "import storyline, sys; storyline.open_store; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
