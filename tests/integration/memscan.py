#!/usr/bin/env python3
"""Usage: memscan.py PID TEXT: prints how often TEXT occurs, as UTF-8 or UTF-16LE, in the writable memory of PID
(its heap, anonymous mappings and stacks: where a freed buffer's bytes would stay). Needs root or ptrace rights."""
import sys


def main():
    pid, text = int(sys.argv[1]), sys.argv[2]
    needles = [text.encode(), text.encode("utf-16-le")]
    found = 0
    with open(f"/proc/{pid}/maps", encoding="ascii") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            if not fields[1].startswith("rw"):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except OSError:  # [vvar] and the like
                continue
            found += sum(data.count(n) for n in needles)
    print(found)


if __name__ == "__main__":
    main()
