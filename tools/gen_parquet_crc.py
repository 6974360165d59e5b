"""Writes crates/sources/tests/fixtures/views-crc.parquet: a tiny ViEWS-shaped country-month
Parquet file whose data pages carry CRC-32 checksums (pyarrow's write_page_checksum), so the
tests can check that a flipped byte inside a page is refused rather than read as other numbers
(issue 12). parquet-rs cannot write page checksums, hence pyarrow.

Run: python3 -m venv /tmp/pa && /tmp/pa/bin/pip install pyarrow && /tmp/pa/bin/python tools/gen_parquet_crc.py
"""
import pyarrow as pa
import pyarrow.parquet as pq

n = 48
table = pa.table({
    "month_id": pa.array([457 + i // 4 for i in range(n)], pa.int64()),
    "country_id": pa.array([[57, 67, 70, 79][i % 4] for i in range(n)], pa.int64()),
    "gleditsch_ward": pa.array([[2, 20, 70, 100][i % 4] for i in range(n)], pa.int64()),
    "ged_sb": pa.array([float(i * 3 % 17) for i in range(n)], pa.float64()),
    "ged_ns": pa.array([float(i % 5) for i in range(n)], pa.float64()),
    "ged_os": pa.array([float(i % 2) for i in range(n)], pa.float64()),
})
pq.write_table(table, "crates/sources/tests/fixtures/views-crc.parquet", compression="NONE",
               write_page_checksum=True, use_dictionary=False, write_statistics=False)
