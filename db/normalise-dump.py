#!/usr/bin/env python3
"""Normalises a `pg_dump --schema-only` for db/compare-schemas.sh.

Reads the dump on standard input and prints one line per object of the dump,
sorted: each object's SQL with comments removed (`--` to the end of a line,
also inside function bodies), whitespace collapsed, and letters outside
quoted strings in lower case. What remains is what the database keeps:
names, columns in their order, types, defaults, constraints, indexes,
function signatures, attributes and bodies, triggers, views and COMMENT ON
texts. pg_dump's session settings and its own header comments are dropped.
"""
import re
import sys


def tokens(sql):
    """Yields (kind, text) pieces: 'quoted' for string literals, dollar-quoted
    bodies and quoted identifiers, 'code' for the rest, comments dropped."""
    i, n, start = 0, len(sql), 0
    while i < n:
        if sql.startswith('--', i):
            yield 'code', sql[start:i]
            j = sql.find('\n', i)
            i = start = n if j < 0 else j
            continue
        c = sql[i]
        if c in "'\"":
            yield 'code', sql[start:i]
            j = i + 1
            while True:
                j = sql.find(c, j)
                if j < 0:
                    j = n
                    break
                if sql.startswith(c * 2, j):
                    j += 2
                    continue
                break
            yield 'quoted', sql[i:j + 1]
            i = start = j + 1
            continue
        m = re.match(r'\$([A-Za-z_][A-Za-z_0-9]*)?\$', sql[i:]) if c == '$' else None
        if m:
            yield 'code', sql[start:i]
            tag = m.group(0)
            j = sql.find(tag, i + len(tag))
            j = n if j < 0 else j + len(tag)
            # a body is code of its own: normalise it too, keep its quotes
            yield 'quoted', tag + normalise(sql[i + len(tag):j - len(tag)]) + tag
            i = start = j
            continue
        i += 1
    yield 'code', sql[start:]


def normalise(sql):
    out = []
    for kind, text in tokens(sql):
        out.append(text if kind == 'quoted' else text.lower())
    return re.sub(r'\s+', ' ', ''.join(out)).strip()


def objects(dump):
    """The dump's statements: pg_dump ends each with ';' at the end of a line
    (a function's body ends with '$$;' or '$_$;')."""
    lines = [line for line in dump.splitlines()
             if not line.startswith(('SET ', 'SELECT pg_catalog.set_config', '\\restrict', '\\unrestrict'))]
    text = '\n'.join(lines)
    # split the normalised text at top-level semicolons
    flat = normalise(text)
    result, buf = [], []
    for kind, piece in tokens(flat):
        if kind == 'quoted':
            buf.append(piece)
            continue
        parts = piece.split(';')
        for k, part in enumerate(parts):
            buf.append(part)
            if k < len(parts) - 1:
                s = ''.join(buf).strip()
                if s:
                    result.append(s + ';')
                buf = []
    tail = ''.join(buf).strip()
    if tail:
        result.append(tail)
    return result


if __name__ == '__main__':
    for statement in sorted(objects(sys.stdin.read())):
        print(statement)
