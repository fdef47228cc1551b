#!/usr/bin/env python3
"""Replays a terminal's raw output (as `script` records it) onto a screen of a given width and
prints what a user would see, as JSON: {"screen": [lines], "wraps": N, "unknown": [sequences]}.

Understood: printable text (UTF-8, one column per code point), \\r, \\n, \\b, ESC[nA (up),
ESC[nB (down), ESC[nG (column), ESC[K / ESC[0K (clear to the end of the line), ESC[2K (clear the
line), ESC[J / ESC[0J (clear below), ESC[...m (colour), ESC[?25l / ESC[?25h (cursor). Anything
else is listed in "unknown": the progress view must not send it. A character written past the
last column wraps to the next row, as a terminal does, and is counted in "wraps".

usage: term_replay.py WIDTH < raw
"""
import json
import re
import sys

CSI = re.compile(r"\x1b\[([0-9;?]*)([@-~])")


def replay(data: str, width: int):
    rows = [[]]
    row = col = 0
    wraps = 0
    unknown = []

    def line(r):
        while len(rows) <= r:
            rows.append([])
        return rows[r]

    i = 0
    while i < len(data):
        ch = data[i]
        if ch == "\x1b":
            m = CSI.match(data, i)
            if not m:
                unknown.append(repr(data[i : i + 6]))
                i += 1
                continue
            params, final = m.group(1), m.group(2)
            n = int(params) if params.isdigit() else 1
            if final == "A":
                row = max(row - n, 0)
            elif final == "B":
                row += n
            elif final == "G":
                col = max(n - 1, 0)
            elif final == "K" and params in ("", "0"):
                del line(row)[col:]
            elif final == "K" and params == "2":
                line(row).clear()
            elif final == "J" and params in ("", "0"):
                del line(row)[col:]
                del rows[row + 1 :]
            elif final == "m" or (final in "lh" and params == "?25"):
                pass
            else:
                unknown.append(repr(m.group(0)))
            i = m.end()
            continue
        i += 1
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
            line(row)
        elif ch == "\b":
            col = max(col - 1, 0)
        elif ch < " " or ch == "\x7f":
            unknown.append(repr(ch))
        else:
            if col >= width:
                wraps += 1
                row += 1
                col = 0
            cells = line(row)
            while len(cells) < col:
                cells.append(" ")
            if col < len(cells):
                cells[col] = ch
            else:
                cells.append(ch)
            col += 1
    screen = ["".join(r).rstrip() for r in rows]
    while screen and screen[-1] == "":
        screen.pop()
    return {"screen": screen, "wraps": wraps, "unknown": unknown}


def main():
    width = int(sys.argv[1])
    data = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    json.dump(replay(data, width), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
