#!/usr/bin/python3
"""The ctest cases around check_manifests.py (registered by tests/schema/CMakeLists.txt).

  schema_test.py fixture FIXTURE          the checker's stdout on FIXTURE must equal FIXTURE's .expected file
                                          exactly, and its exit code must be 1 (0 when .expected is empty)
  schema_test.py corpus DIR EXCEPTIONS    every problem found in the real-world corpus must be listed in
                                          EXCEPTIONS, and every listed problem must still be found
  schema_test.py render BINARY SPEC FMT   `BINARY render -f SPEC` (-o FMT, or --out-dir for FMT=dir) must
                                          succeed, produce objects, and every object must pass the checker
  schema_test.py manifests FILE           FILE (e.g. an example's expected.yaml) must pass the checker

Options after the sub-command are passed on to the checker (e.g. --kube-version 1.35).
"""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKER = os.path.join(HERE, "check_manifests.py")
SUMMARY = re.compile(r"checked (\d+) object\(s\) in (\d+) file\(s\)")


def run_checker(paths, extra, cwd=None):
    proc = subprocess.run([sys.executable, CHECKER, *extra, *paths], cwd=cwd, capture_output=True, text=True)
    return proc


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    return 1


def objects_checked(proc):
    match = SUMMARY.search(proc.stderr)
    return int(match.group(1)) if match else -1


def cmd_fixture(fixture, extra):
    expected_path = os.path.splitext(fixture)[0] + ".expected"
    with open(expected_path, encoding="utf-8") as f:
        expected = f.read()
    proc = run_checker([os.path.basename(fixture)], extra, cwd=os.path.dirname(os.path.abspath(fixture)))
    want_rc = 1 if expected else 0
    if proc.stdout != expected:
        import difflib
        diff = "".join(difflib.unified_diff(expected.splitlines(True), proc.stdout.splitlines(True),
                                            expected_path, "checker output"))
        return fail(f"the checker's output differs from {expected_path}:\n{diff}{proc.stderr}")
    if proc.returncode != want_rc:
        return fail(f"exit code {proc.returncode}, expected {want_rc}\n{proc.stderr}")
    print(f"ok: {os.path.basename(fixture)}: {len(expected.splitlines())} expected problem(s) reported, "
          f"exit {proc.returncode}")
    return 0


def cmd_corpus(corpus_dir, exceptions_path, extra):
    files = sorted(f for f in os.listdir(corpus_dir) if f.endswith((".yaml", ".yml", ".json")))
    if not files:
        return fail(f"no manifests in {corpus_dir}")
    expected = set()
    with open(exceptions_path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                expected.add(line)
    proc = run_checker(files, extra, cwd=corpus_dir)
    if proc.returncode not in (0, 1):
        return fail(f"the checker failed (exit {proc.returncode}):\n{proc.stderr}")
    found = set(proc.stdout.splitlines())
    unexpected, gone = sorted(found - expected), sorted(expected - found)
    for line in unexpected:
        print(f"unexpected problem: {line}", file=sys.stderr)
    for line in gone:
        print(f"listed in {os.path.basename(exceptions_path)} but no longer reported: {line}", file=sys.stderr)
    count = objects_checked(proc)
    print(f"{len(files)} files, {count} objects checked, {len(found)} problem(s), all listed as exceptions"
          if not (unexpected or gone) else proc.stderr.strip())
    if count < len(files):
        return fail(f"only {count} objects in {len(files)} files were checked")
    return 1 if unexpected or gone else 0


def cmd_render(binary, spec, fmt, extra):
    with tempfile.TemporaryDirectory(prefix="mlserve-schema-") as tmp:
        if fmt == "dir":
            target = os.path.join(tmp, "out")
            argv = [binary, "render", "-f", spec, "--out-dir", target]
        else:
            target = os.path.join(tmp, "manifests." + fmt)
            argv = [binary, "render", "-f", spec, "-o", fmt]
        proc = subprocess.run(argv, capture_output=True, text=True)
        if proc.returncode != 0:
            return fail(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stderr}")
        if fmt != "dir":
            with open(target, "w", encoding="utf-8") as f:
                f.write(proc.stdout)
        checked = run_checker([target], extra)
        sys.stdout.write(checked.stdout.replace(target, spec + f" (rendered, -o {fmt})"))
        count = objects_checked(checked)
        if checked.returncode != 0:
            return fail(f"rendered manifests of {spec} do not pass the schema check\n{checked.stderr}")
        if count < 1:
            return fail(f"rendering {spec} produced no objects\n{checked.stderr}")
        print(f"ok: {spec} renders {count} object(s) that pass the schema check ({fmt})")
        return 0


def cmd_manifests(path, extra):
    proc = run_checker([path], extra)
    sys.stdout.write(proc.stdout)
    if proc.returncode != 0:
        return fail(f"{path} does not pass the schema check\n{proc.stderr}")
    if objects_checked(proc) < 1:
        return fail(f"{path} holds no objects")
    print(f"ok: {path}: {proc.stderr.strip()}")
    return 0


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[0], argv[1:]
    split = next((i for i, a in enumerate(args) if a.startswith("--")), len(args))
    positional, extra = args[:split], args[split:]
    handlers = {"fixture": (cmd_fixture, 1), "corpus": (cmd_corpus, 2), "render": (cmd_render, 3),
                "manifests": (cmd_manifests, 1)}
    if command not in handlers or len(positional) != handlers[command][1]:
        print(__doc__, file=sys.stderr)
        return 2
    handler, _ = handlers[command]
    return handler(*positional, extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
