from ledger.store.service import LedgerService


def test_new_ledger_verifies_with_its_checkpoint(service: LedgerService) -> None:
    service.register_member("张三", "书记")
    report = service.verify()
    assert report.ok, report.failure
    assert report.events == 2
    assert [c["size"] for c in report.checkpoints] == [2]
