#!/usr/bin/env python3
"""Reads a Parquet file (or a Hive-partitioned folder of them) back with pyarrow AND DuckDB
and prints what each reader saw, as one JSON object on stdout, for the Swift tests to
compare value by value.

Every cell is a tagged string so nothing is lost on the way through JSON:
  null | s:<text> | i:<integer> | b:true/false | d:<IEEE-754 bits, 16 hex digits>
  | t:<microseconds since 1970-01-01T00:00:00Z>

Usage: parquet_readback.py PATH [--dataset]   (--dataset: PATH is a Hive-style folder;
rows are then sorted, as a dataset has no row order across files)
Exit status 3 when pyarrow or duckdb cannot be imported.
"""
import json
import struct
import sys

try:
    import duckdb
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
except ImportError as error:  # the Swift side decides whether that skips or fails
    print(f"missing reader: {error}", file=sys.stderr)
    sys.exit(3)


def tag(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "b:true" if value else "b:false"
    if isinstance(value, int):
        return f"i:{value}"
    if isinstance(value, float):
        return "d:%016x" % struct.unpack("<Q", struct.pack("<d", value))[0]
    if isinstance(value, str):
        return "s:" + value
    raise TypeError(f"untagged value {value!r} of {type(value)}")


def arrow_columns(table):
    """Cells per column; timestamps as integer microseconds (no datetime range limits)."""
    columns = []
    for field, column in zip(table.schema, table.columns):
        if pa.types.is_timestamp(field.type):
            micros = column.cast(pa.timestamp("us", tz="UTC")).cast(pa.int64())
            columns.append(["null" if v is None else f"t:{v}" for v in micros.to_pylist()])
        elif pa.types.is_dictionary(field.type):  # a Hive partition column
            columns.append([tag(v) for v in column.cast(field.type.value_type).to_pylist()])
        else:
            columns.append([tag(v) for v in column.to_pylist()])
    return columns


def rows_of(columns, count):
    return [[column[i] for column in columns] for i in range(count)]


def read_pyarrow(path, dataset):
    if dataset:
        table = ds.dataset(path, format="parquet", partitioning="hive").to_table()
        footer = None
    else:
        table = pq.read_table(path)
        metadata = pq.ParquetFile(path).metadata
        footer = {
            "row_groups": [
                {
                    "rows": metadata.row_group(g).num_rows,
                    "columns": [stats_of(metadata.row_group(g).column(c)) for c in range(metadata.num_columns)],
                }
                for g in range(metadata.num_row_groups)
            ],
            "key_value": {k.decode(): v.decode() for k, v in (metadata.metadata or {}).items()},
        }
    rows = rows_of(arrow_columns(table), table.num_rows)
    return {
        "columns": table.schema.names,
        "types": [str(t) for t in table.schema.types],
        "rows": sorted(rows) if dataset else rows,
        "footer": footer,
    }


def stats_of(chunk):
    out = {"encodings": sorted(chunk.encodings), "compression": chunk.compression}
    s = chunk.statistics
    if s is not None:
        out["null_count"] = s.null_count if s.has_null_count else None
        if s.has_min_max:
            out["min"] = stat_tag(s.min)
            out["max"] = stat_tag(s.max)
    return out


def stat_tag(value):
    if hasattr(value, "timestamp"):  # a datetime: back to microseconds
        import datetime
        epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
        return f"t:{(value - epoch) // datetime.timedelta(microseconds=1)}"
    return tag(value)


def read_duckdb(path, dataset):
    con = duckdb.connect()
    source = f"read_parquet('{path}/**/*.parquet', hive_partitioning = true)" if dataset else f"read_parquet('{path}')"
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    names = [row[0] for row in described]
    types = [row[1] for row in described]
    select = []
    for name, kind in zip(names, types):
        quoted = '"' + name.replace('"', '""') + '"'
        select.append(f"epoch_us({quoted})" if kind.startswith("TIMESTAMP") else quoted)
    rows = con.execute(f"SELECT {', '.join(select)} FROM {source}").fetchall()
    tagged = []
    for row in rows:
        cells = []
        for value, kind in zip(row, types):
            cells.append("null" if value is None else (f"t:{value}" if kind.startswith("TIMESTAMP") else tag(value)))
        tagged.append(cells)
    return {"columns": names, "types": types, "rows": sorted(tagged) if dataset else tagged}


def main():
    path = sys.argv[1]
    dataset = "--dataset" in sys.argv[2:]
    print(json.dumps({"pyarrow": read_pyarrow(path, dataset), "duckdb": read_duckdb(path, dataset)}, ensure_ascii=False))


if __name__ == "__main__":
    main()
