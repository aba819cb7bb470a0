"""Number (N) normalisation and validation, as DynamoDB returns them."""
import pytest

from ddbconf import expect_error

NORMALISED = [
    ("1.50", "1.5"),
    ("0001", "1"),
    ("-0", "0"),
    ("0.0", "0"),
    ("-0.00", "0"),
    ("1E+2", "100"),
    ("1.0E2", "100"),
    ("1e-3", "0.001"),
    ("+1", "1"),
    (".5", "0.5"),
    ("5.", "5"),
    ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
    ("12345678901234567890123456789012345678.0", "12345678901234567890123456789012345678"),
    ("-12345678901234567890123456789012345678", "-12345678901234567890123456789012345678"),
    ("0.000000000000000000000000000000000000001000", "0.000000000000000000000000000000000000001"),
    ("1000000000000000000000000000000000000000", "1000000000000000000000000000000000000000"),
    ("1E+125", "1" + "0" * 125),
    ("-1E+125", "-1" + "0" * 125),
    ("1E+0125", "1" + "0" * 125),
    ("9.9999999999999999999999999999999999999E+125", "9" * 38 + "0" * 88),
    ("1E-130", "0." + "0" * 129 + "1"),
    ("-1E-130", "-0." + "0" * 129 + "1"),
    ("3.14159", "3.14159"),
    ("-42", "-42"),
]


@pytest.mark.parametrize("given,expected", NORMALISED)
def test_number_normalisation(ddb, make_table, given, expected):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "n"}, "v": {"N": given}})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "n"}})["Item"]
    assert item["v"] == {"N": expected}


def test_number_set_normalisation(ddb, make_table):
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "n"}, "v": {"NS": ["1.50", "0002", "-0", "1E+2"]}})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "n"}})["Item"]
    assert sorted(item["v"]["NS"]) == sorted(["1.5", "2", "0", "100"])


def test_number_key_normalised(ddb, make_table):
    t = make_table(hash_type="N")
    ddb.put_item(TableName=t, Item={"pk": {"N": "1.500"}, "v": {"S": "x"}})
    item = ddb.get_item(TableName=t, Key={"pk": {"N": "1.5"}})["Item"]
    assert item == {"pk": {"N": "1.5"}, "v": {"S": "x"}}


def test_number_key_equal_values_are_one_item(ddb, make_table):
    t = make_table(hash_type="N")
    ddb.put_item(TableName=t, Item={"pk": {"N": "100"}, "v": {"S": "first"}})
    ddb.put_item(TableName=t, Item={"pk": {"N": "1E+2"}, "v": {"S": "second"}})
    items = ddb.scan(TableName=t)["Items"]
    assert items == [{"pk": {"N": "100"}, "v": {"S": "second"}}]


def test_number_in_list_and_map_keeps_value(ddb, make_table):
    # Whether numbers nested in L/M come back normalised is not pinned down here:
    # DynamoDB Local returns them exactly as written ("01.10"); reports about the AWS
    # service say the same. Only numeric equality is required.
    from decimal import Decimal
    t = make_table()
    ddb.put_item(TableName=t, Item={"pk": {"S": "n"}, "l": {"L": [{"N": "01.10"}]},
                                    "m": {"M": {"x": {"N": "-0.0"}}}})
    item = ddb.get_item(TableName=t, Key={"pk": {"S": "n"}})["Item"]
    assert Decimal(item["l"]["L"][0]["N"]) == Decimal("1.1")
    assert Decimal(item["m"]["M"]["x"]["N"]) == 0


# AWS's text (dynalite's AWS-checked tests); DynamoDB Local says PRECISION_LOCAL (MESSAGES-values.md)
PRECISION = "Attempting to store more than 38 significant digits in a Number"
PRECISION_LOCAL = "DynamoDB only supports precision up to 38 digits"

BAD = [
    ("123456789012345678901234567890123456789", PRECISION),
    ("1.23456789012345678901234567890123456789", PRECISION),
    ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("-1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("abc", "A value provided cannot be converted into a number"),
    ("1.2.3", "A value provided cannot be converted into a number"),
    ("", "A value provided cannot be converted into a number"),
    (" 1", "A value provided cannot be converted into a number"),
    ("1 ", "A value provided cannot be converted into a number"),
    ("0x10", "A value provided cannot be converted into a number"),
    ("1e", "A value provided cannot be converted into a number"),
    ("Infinity", "A value provided cannot be converted into a number"),
    ("NaN", "A value provided cannot be converted into a number"),
]


@pytest.mark.parametrize("given,message", BAD)
def test_invalid_number_rejected(ddb, make_table, given, message):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException", message,
                 PRECISION_LOCAL if message == PRECISION else None,
                 TableName=t, Item={"pk": {"S": "n"}, "v": {"N": given}})


def test_invalid_number_in_set_rejected(ddb, make_table):
    t = make_table()
    expect_error(ddb.put_item, "ValidationException", "A value provided cannot be converted into a number",
                 TableName=t, Item={"pk": {"S": "n"}, "v": {"NS": ["1", "x"]}})


def test_invalid_number_key_rejected(ddb, make_table):
    t = make_table(hash_type="N")
    expect_error(ddb.get_item, "ValidationException", "A value provided cannot be converted into a number",
                 TableName=t, Key={"pk": {"N": "abc"}})


def test_invalid_number_not_stored(ddb, make_table):
    t = make_table()
    with pytest.raises(Exception):
        ddb.put_item(TableName=t, Item={"pk": {"S": "n"}, "v": {"N": "1E+126"}})
    assert "Item" not in ddb.get_item(TableName=t, Key={"pk": {"S": "n"}})
