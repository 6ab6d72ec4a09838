import subprocess
import sys


def test_the_detector_imports_and_runs_without_django_or_torch():
    code = (
        "import sys; from tropewatch.detector import detect; detect('Happy Hanukkah!'); "
        "bad = [m for m in ('django', 'torch', 'transformers') if m in sys.modules]; "
        "print(','.join(bad)); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
