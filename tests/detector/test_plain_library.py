import ast
import subprocess
import sys
from pathlib import Path

import tropewatch.detector

DETECTOR = Path(tropewatch.detector.__file__).parent


def test_the_detector_imports_and_runs_without_django_or_torch():
    code = (
        "import sys; from tropewatch.detector import detect; detect('Happy Hanukkah!'); "
        "bad = [m for m in ('django', 'torch', 'transformers') if m in sys.modules]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _imported_modules(path: Path, root: Path = DETECTOR.parents[1]) -> set[str]:
    """The absolute names of the modules a source file under ``root`` imports, relative
    imports resolved."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module) if part)
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_inference_modules_import_nothing_from_training():
    inference = list(DETECTOR.glob("*.py"))
    assert len(inference) > 10  # pipeline, normalize, lexicon, transformer, ...

    for path in inference:
        training = {name for name in _imported_modules(path)
                    if name.startswith("tropewatch.detector.training")}
        assert not training, f"{path.name} imports {sorted(training)}"


def test_the_import_check_sees_a_relative_import_of_training(tmp_path):
    # The check above must resolve "from .training import x" as inference modules write it.
    module = tmp_path / "tropewatch" / "detector" / "stage.py"
    module.parent.mkdir(parents=True)
    module.write_text("from .training.dataset import load_isca\nfrom . import training\n",
                      encoding="utf-8")

    names = _imported_modules(module, root=tmp_path)

    assert {"tropewatch.detector.training.dataset", "tropewatch.detector.training"} <= names


def test_running_the_detector_loads_no_training_module():
    code = (
        "import sys; from tropewatch.detector import detect; "
        "detect('The Rothschilds own the banks and the media, wake up.'); "
        "bad = [m for m in sys.modules if m.startswith('tropewatch.detector.training')]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
