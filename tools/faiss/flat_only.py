#!/usr/bin/python3
"""Runs ../shared/bench/faiss_knn.py one filter at a time and stops each run after its faiss-flat
line (FAISS's exact search under the filter): for narrow filters, where its HNSW ladder takes
seconds per query and exact search is its best method."""
import subprocess, sys, os, tempfile
args = sys.argv[1:]
script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "faiss_knn.py")
i = args.index("--filters"); filters = args[i + 1]
for line in open(filters):
    if not line.strip():
        continue
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as one:
        one.write(line)
    a = list(args); a[i + 1] = one.name
    p = subprocess.Popen(["/usr/bin/python3", script] + a, stdout=subprocess.PIPE, text=True)
    for out in p.stdout:
        print(out, end="", flush=True)
        if out.startswith("peer faiss-flat") or out.startswith("faiss-flat"):
            p.kill(); break
    p.wait(); os.unlink(one.name)
