from tests.db.test_transfer import *
def test_dbg(db, desk, sqlite_template, tmp_path):
    populate(db, desk)
    out = tmp_path / "export.json"
    with db.write() as s:
        transfer.export(s, desk.admin, out)
    target = _fresh_sqlite(sqlite_template, tmp_path, "target")
    with target.write() as s:
        transfer.import_(s, None, out)
    a, b = canonical(target), canonical(db)
    for i, (x, y) in enumerate(zip(a["cases"], b["cases"])):
        for k in x:
            if x[k] != y[k]:
                print(i, k, "\n  T:", x[k], "\n  S:", y[k])
    assert 0
