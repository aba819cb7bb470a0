"""Placeholders and syntax through ddbd: unused and undefined #names and :values, every
reserved word, empty expressions, syntax errors, misplaced functions, key conditions."""
import pytest

from ddbconf import expect_error

N = lambda x: {"N": str(x)}  # noqa: E731
S = lambda x: {"S": x}  # noqa: E731

# DynamoDB's reserved words (developer guide), as DynamoDB Local 3.3.1 enforces them
# (all of the guide's list but CONVERT and SIZE).
RESERVED = """
ABORT ABSOLUTE ACTION ADD AFTER AGENT AGGREGATE ALL ALLOCATE ALTER ANALYZE AND ANY ARCHIVE ARE
ARRAY AS ASC ASCII ASENSITIVE ASSERTION ASYMMETRIC AT ATOMIC ATTACH ATTRIBUTE AUTH AUTHORIZATION
AUTHORIZE AUTO AVG BACK BACKUP BASE BATCH BEFORE BEGIN BETWEEN BIGINT BINARY BIT BLOB BLOCK
BOOLEAN BOTH BREADTH BUCKET BULK BY BYTE CALL CALLED CALLING CAPACITY CASCADE CASCADED CASE CAST
CATALOG CHAR CHARACTER CHECK CLASS CLOB CLOSE CLUSTER CLUSTERED CLUSTERING CLUSTERS COALESCE
COLLATE COLLATION COLLECTION COLUMN COLUMNS COMBINE COMMENT COMMIT COMPACT COMPILE COMPRESS
CONDITION CONFLICT CONNECT CONNECTION CONSISTENCY CONSISTENT CONSTRAINT CONSTRAINTS CONSTRUCTOR
CONSUMED CONTINUE COPY CORRESPONDING COUNT COUNTER CREATE CROSS CUBE CURRENT CURSOR CYCLE DATA
DATABASE DATE DATETIME DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFERRABLE DEFERRED DEFINE
DEFINED DEFINITION DELETE DELIMITED DEPTH DEREF DESC DESCRIBE DESCRIPTOR DETACH DETERMINISTIC
DIAGNOSTICS DIRECTORIES DISABLE DISCONNECT DISTINCT DISTRIBUTE DO DOMAIN DOUBLE DROP DUMP
DURATION DYNAMIC EACH ELEMENT ELSE ELSEIF EMPTY ENABLE END EQUAL EQUALS ERROR ESCAPE ESCAPED
EVAL EVALUATE EXCEEDED EXCEPT EXCEPTION EXCEPTIONS EXCLUSIVE EXEC EXECUTE EXISTS EXIT EXPLAIN
EXPLODE EXPORT EXPRESSION EXTENDED EXTERNAL EXTRACT FAIL FALSE FAMILY FETCH FIELDS FILE FILTER
FILTERING FINAL FINISH FIRST FIXED FLATTERN FLOAT FOR FORCE FOREIGN FORMAT FORWARD FOUND FREE
FROM FULL FUNCTION FUNCTIONS GENERAL GENERATE GET GLOB GLOBAL GO GOTO GRANT GREATER GROUP
GROUPING HANDLER HASH HAVE HAVING HEAP HIDDEN HOLD HOUR IDENTIFIED IDENTITY IF IGNORE IMMEDIATE
IMPORT IN INCLUDING INCLUSIVE INCREMENT INCREMENTAL INDEX INDEXED INDEXES INDICATOR INFINITE
INITIALLY INLINE INNER INNTER INOUT INPUT INSENSITIVE INSERT INSTEAD INT INTEGER INTERSECT
INTERVAL INTO INVALIDATE IS ISOLATION ITEM ITEMS ITERATE JOIN KEY KEYS LAG LANGUAGE LARGE LAST
LATERAL LEAD LEADING LEAVE LEFT LENGTH LESS LEVEL LIKE LIMIT LIMITED LINES LIST LOAD LOCAL
LOCALTIME LOCALTIMESTAMP LOCATION LOCATOR LOCK LOCKS LOG LOGED LONG LOOP LOWER MAP MATCH
MATERIALIZED MAX MAXLEN MEMBER MERGE METHOD METRICS MIN MINUS MINUTE MISSING MOD MODE MODIFIES
MODIFY MODULE MONTH MULTI MULTISET NAME NAMES NATIONAL NATURAL NCHAR NCLOB NEW NEXT NO NONE NOT
NULL NULLIF NUMBER NUMERIC OBJECT OF OFFLINE OFFSET OLD ON ONLINE ONLY OPAQUE OPEN OPERATOR
OPTION OR ORDER ORDINALITY OTHER OTHERS OUT OUTER OUTPUT OVER OVERLAPS OVERRIDE OWNER PAD
PARALLEL PARAMETER PARAMETERS PARTIAL PARTITION PARTITIONED PARTITIONS PATH PERCENT PERCENTILE
PERMISSION PERMISSIONS PIPE PIPELINED PLAN POOL POSITION PRECISION PREPARE PRESERVE PRIMARY
PRIOR PRIVATE PRIVILEGES PROCEDURE PROCESSED PROJECT PROJECTION PROPERTY PROVISIONING PUBLIC PUT
QUERY QUIT QUORUM RAISE RANDOM RANGE RANK RAW READ READS REAL REBUILD RECORD RECURSIVE REDUCE
REF REFERENCE REFERENCES REFERENCING REGEXP REGION REINDEX RELATIVE RELEASE REMAINDER RENAME
REPEAT REPLACE REQUEST RESET RESIGNAL RESOURCE RESPONSE RESTORE RESTRICT RESULT RETURN RETURNING
RETURNS REVERSE REVOKE RIGHT ROLE ROLES ROLLBACK ROLLUP ROUTINE ROW ROWS RULE RULES SAMPLE
SATISFIES SAVE SAVEPOINT SCAN SCHEMA SCOPE SCROLL SEARCH SECOND SECTION SEGMENT SEGMENTS SELECT
SELF SEMI SENSITIVE SEPARATE SEQUENCE SERIALIZABLE SESSION SET SETS SHARD SHARE SHARED SHORT
SHOW SIGNAL SIMILAR SKEWED SMALLINT SNAPSHOT SOME SOURCE SPACE SPACES SPARSE SPECIFIC
SPECIFICTYPE SPLIT SQL SQLCODE SQLERROR SQLEXCEPTION SQLSTATE SQLWARNING START STATE STATIC
STATUS STORAGE STORE STORED STREAM STRING STRUCT STYLE SUB SUBMULTISET SUBPARTITION SUBSTRING
SUBTYPE SUM SUPER SYMMETRIC SYNONYM SYSTEM TABLE TABLESAMPLE TEMP TEMPORARY TERMINATED TEXT THAN
THEN THROUGHPUT TIME TIMESTAMP TIMEZONE TINYINT TO TOKEN TOTAL TOUCH TRAILING TRANSACTION
TRANSFORM TRANSLATE TRANSLATION TREAT TRIGGER TRIM TRUE TRUNCATE TTL TUPLE TYPE UNDER UNDO UNION
UNIQUE UNIT UNKNOWN UNLOGGED UNNEST UNPROCESSED UNSIGNED UNTIL UPDATE UPPER URL USAGE USE USER
USERS USING UUID VACUUM VALUE VALUED VALUES VARCHAR VARIABLE VARIANCE VARINT VARYING VIEW VIEWS
VIRTUAL VOID WAIT WHEN WHENEVER WHERE WHILE WINDOW WITH WITHIN WITHOUT WORK WRAPPED WRITE YEAR
ZONE
""".split()
KEYWORDS = {"AND", "OR", "NOT", "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE"}


@pytest.fixture(scope="module")
def etable(ddb):
    from ddbconf import key_schema, unique_name
    name = unique_name("experr")
    ks, ad = key_schema(range_name="sk", range_type="N")
    ddb.create_table(TableName=name, KeySchema=ks, AttributeDefinitions=ad, BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=name, Item={"pk": S("p"), "sk": N(1), "a": N(1)})
    yield name
    ddb.delete_table(TableName=name)


KEY = {"pk": S("p"), "sk": N(1)}


def test_reserved_word_count():
    assert len(RESERVED) == 571


def test_every_reserved_word_rejected(ddb, etable):
    for w in RESERVED:
        for spelled in (w, w.lower()):
            if w in KEYWORDS:
                msg = 'Invalid ProjectionExpression: Syntax error; token: "%s", near: "%s"' % (spelled, spelled)
            else:
                msg = "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: %s" % spelled
            expect_error(ddb.get_item, "ValidationException", msg, TableName=etable, Key=KEY,
                         ProjectionExpression=spelled)


@pytest.mark.parametrize("word", ["CONVERT", "size", "SIZE", "attribute_exists", "contains", "list_append"])
def test_words_that_are_not_reserved(ddb, etable, word):
    ddb.get_item(TableName=etable, Key=KEY, ProjectionExpression=word)


@pytest.mark.parametrize("kind", ["update", "condition", "filter", "key", "projection"])
def test_reserved_word_in_every_kind(ddb, etable, kind):
    call, kw, name = _kind_call(ddb, etable, kind, "#x = :v" if kind != "update" else "SET #x = :v")
    kw = dict(kw)
    text = {"update": "SET status = :v", "condition": "status = :v", "filter": "status = :v",
            "key": "pk = :v AND status = :n", "projection": "status"}[kind]
    kw[_member(kind)] = text
    kw.pop("ExpressionAttributeNames", None)
    expect_error(call, "ValidationException",
                 "Invalid %s: Attribute name is a reserved keyword; reserved keyword: status" % name, **kw)


def _member(kind):
    return {"update": "UpdateExpression", "condition": "ConditionExpression", "filter": "FilterExpression",
            "key": "KeyConditionExpression", "projection": "ProjectionExpression"}[kind]


def _kind_call(ddb, t, kind, text):
    """(function, kwargs, expression name) running text as an expression of that kind."""
    vals = {":v": S("p"), ":n": N(1)}
    if kind == "update":
        return ddb.update_item, dict(TableName=t, Key=KEY, UpdateExpression=text,
                                     ExpressionAttributeValues=vals), "UpdateExpression"
    if kind == "condition":
        return ddb.delete_item, dict(TableName=t, Key=KEY, ConditionExpression=text,
                                     ExpressionAttributeValues=vals), "ConditionExpression"
    if kind == "filter":
        return ddb.scan, dict(TableName=t, FilterExpression=text, ExpressionAttributeValues=vals), "FilterExpression"
    if kind == "key":
        return ddb.query, dict(TableName=t, KeyConditionExpression=text,
                               ExpressionAttributeValues=vals), "KeyConditionExpression"
    return ddb.get_item, dict(TableName=t, Key=KEY, ProjectionExpression=text), "ProjectionExpression"


# ---------- empty expressions ----------

@pytest.mark.parametrize("kind", ["update", "condition", "filter", "key", "projection"])
def test_empty_expression(ddb, etable, kind):
    call, kw, name = _kind_call(ddb, etable, kind, "")
    if kind != "update":
        kw.pop("ExpressionAttributeValues", None)
    expect_error(call, "ValidationException", "Invalid %s: The expression can not be empty;" % name, **kw)


# ---------- syntax errors in every kind ----------

SYNTAX = [
    ("condition", "a = = :v", '"=", near: "= = :v"'),
    ("condition", "a = :v AND", '"<EOF>", near: "AND"'),
    ("condition", "(a = :v", '"<EOF>", near: ":v"'),
    ("condition", "a[x] = :v", '"x", near: "[x]"'),
    ("condition", "a = :v)", '")", near: ":v)"'),
    ("filter", "a BETWEEN :v OR :n", '"OR", near: ":v OR :n"'),
    ("filter", "a IN ()", '")", near: "()"'),
    ("filter", "a.1 = :v", '"1", near: ".1 ="'),
    ("filter", "a!=:v", '"!", near: "a!="'),
    ("update", "SET a = :n + :n + :n", '"+", near: ":n + :n"'),
    ("update", "SET", '"<EOF>", near: "SET"'),
    ("update", "ADD a = :n", '"=", near: "a = :n"'),
    ("update", "SET a :v", '":v", near: "a :v"'),
    ("update", "UPSERT a = :v", '"UPSERT", near: "UPSERT a"'),
    ("key", "pk = :v AND", '"<EOF>", near: "AND"'),
    ("key", "pk == :v", '"=", near: "== :v"'),
    ("projection", "a,", '"<EOF>", near: ","'),
    ("projection", "a b", '"b", near: "a b"'),
]


@pytest.mark.parametrize("kind,text,tail", SYNTAX, ids=["%s:%s" % (k, t) for k, t, _ in SYNTAX])
def test_syntax_error(ddb, etable, kind, text, tail):
    call, kw, name = _kind_call(ddb, etable, kind, text)
    if kind == "projection":
        pass
    elif ":n" not in text:
        kw["ExpressionAttributeValues"] = {":v": S("p")}
        if ":v" not in text:
            kw.pop("ExpressionAttributeValues")
    elif ":v" not in text:
        kw["ExpressionAttributeValues"] = {":n": N(1)}
    expect_error(call, "ValidationException", "Invalid %s: Syntax error; token: %s" % (name, tail), **kw)


# ---------- placeholders ----------

def test_undefined_name_in_each_kind(ddb, etable):
    for kind, text in [("update", "SET #q = :v"), ("condition", "#q = :v"), ("filter", "#q = :v"),
                       ("key", "#q = :v"), ("projection", "#q")]:
        call, kw, name = _kind_call(ddb, etable, kind, text)
        if kind == "projection":
            pass
        else:
            kw["ExpressionAttributeValues"] = {":v": S("p")}
        expect_error(call, "ValidationException",
                     "Invalid %s: An expression attribute name used in the document path is not defined; attribute name: #q" % name,
                     **kw)


def test_undefined_value_in_each_kind(ddb, etable):
    for kind, text in [("update", "SET a = :q"), ("condition", "a = :q"), ("filter", "a = :q"),
                       ("key", "pk = :q")]:
        call, kw, name = _kind_call(ddb, etable, kind, text)
        kw.pop("ExpressionAttributeValues")
        kw["ExpressionAttributeNames"] = {"#unused": "x"} if False else None
        kw.pop("ExpressionAttributeNames")
        expect_error(call, "ValidationException",
                     "Invalid %s: An expression attribute value used in expression is not defined; attribute value: :q" % name,
                     **kw)


def test_unused_values(ddb, etable):
    expect_error(ddb.update_item, "ValidationException",
                 "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}",
                 TableName=etable, Key=KEY, UpdateExpression="SET a = :v",
                 ExpressionAttributeValues={":v": N(1), ":w": N(2)})


def test_unused_names(ddb, etable):
    expect_error(ddb.scan, "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#c, #b}",
                 TableName=etable, FilterExpression="#a = :v", ExpressionAttributeValues={":v": N(1)},
                 ExpressionAttributeNames={"#a": "a", "#b": "b", "#c": "c"})


def test_unused_across_expressions(ddb, etable):
    # a name used by the condition and a value used by the update count as used
    ddb.update_item(TableName=etable, Key=KEY, UpdateExpression="SET a = :v", ConditionExpression="attribute_exists(#a)",
                    ExpressionAttributeNames={"#a": "a"}, ExpressionAttributeValues={":v": N(1)})
    expect_error(ddb.query, "ValidationException",
                 "Value provided in ExpressionAttributeNames unused in expressions: keys: {#z}",
                 TableName=etable, KeyConditionExpression="pk = :p", ProjectionExpression="#a",
                 ExpressionAttributeNames={"#a": "a", "#z": "z"}, ExpressionAttributeValues={":p": S("p")})


def test_names_without_expression(ddb, etable):
    expect_error(ddb.get_item, "ValidationException",
                 "ExpressionAttributeNames can only be specified when using expressions",
                 TableName=etable, Key=KEY, ExpressionAttributeNames={"#a": "a"})


def test_values_without_expression(ddb, etable):
    expect_error(ddb.put_item, "ValidationException",
                 "ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null",
                 TableName=etable, Item=KEY, ExpressionAttributeValues={":a": N(1)})


@pytest.mark.parametrize("names,values,message", [
    ({"a": "a"}, None, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"'),
    ({"#a-b": "a"}, None, 'ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"'),
    ({"#a": ""}, None, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #a"),
    (None, {"v": N(1)}, 'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"'),
])
def test_invalid_placeholder_keys(ddb, etable, names, values, message):
    kw = {}
    if names:
        kw["ExpressionAttributeNames"] = names
    if values:
        kw["ExpressionAttributeValues"] = values
    expect_error(ddb.scan, "ValidationException", message, TableName=etable, FilterExpression="attribute_exists(a)", **kw)


# ---------- functions and operators in the wrong place ----------

@pytest.mark.parametrize("kind,text,message", [
    ("condition", "foo(a)", "Invalid function name; function: foo"),
    ("condition", "ATTRIBUTE_EXISTS(a)", "Invalid function name; function: ATTRIBUTE_EXISTS"),
    ("condition", "attribute_exists(a, :v)", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"),
    ("condition", "attribute_exists(:v)", "Operator or function requires a document path; operator or function: attribute_exists"),
    ("filter", "size(a)", "The function is not allowed to be used this way in an expression; function: size"),
    ("filter", "if_not_exists(a, :v) = :v", "The function is not allowed in a condition expression; function: if_not_exists"),
    ("filter", "((a = :v))", "The expression has redundant parentheses;"),
    ("update", "SET a = attribute_exists(b)", "The function is not allowed in an update expression; function: attribute_exists"),
    ("update", "REMOVE a REMOVE b", 'The "REMOVE" section can only be used once in an update expression;'),
    ("update", "SET a = if_not_exists(b)", "Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"),
])
def test_function_errors(ddb, etable, kind, text, message):
    call, kw, name = _kind_call(ddb, etable, kind, text)
    kw["ExpressionAttributeValues"] = {":v": N(1)}
    if ":v" not in text:
        kw.pop("ExpressionAttributeValues")
    expect_error(call, "ValidationException", "Invalid %s: %s" % (name, message), **kw)


@pytest.mark.parametrize("text,values,message", [
    ("pk = :v OR sk = :n", None, "Invalid operator used in KeyConditionExpression: OR"),
    ("pk = :v AND sk <> :n", None, "Invalid operator used in KeyConditionExpression: <>"),
    ("pk = :v AND contains(sk, :n)", None, "Invalid operator used in KeyConditionExpression: contains"),
    ("sk = :n", None, "Query condition missed key schema element: pk"),
    ("pk = :v AND pk = :v", None, "KeyConditionExpressions must only contain one condition per key"),
    ("pk = :v AND size(sk) = :n", None, "KeyConditionExpressions cannot contain nested operations"),
    ("pk.x = :v", None, "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk"),
    ("pk = :n", None, "One or more parameter values were invalid: Condition parameter type does not match schema type"),
    ("pk < :v", None, "Query key condition not supported"),
    ("pk = :v AND sk BETWEEN :m AND :n", {":m": N(5)},
     "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"),
])
def test_key_condition_errors(ddb, etable, text, values, message):
    vals = {":v": S("p"), ":n": N(1)}
    vals.update(values or {})
    vals = {k: v for k, v in vals.items() if k in text}
    # DynamoDB Local names no key in "Query condition missed key schema element" (MESSAGES-expr.md)
    local = message.split(": ")[0] if message.startswith("Query condition missed") else None
    expect_error(ddb.query, "ValidationException", message, local, TableName=etable, KeyConditionExpression=text,
                 ExpressionAttributeValues=vals)


def test_key_condition_works(ddb, etable):
    r = ddb.query(TableName=etable, KeyConditionExpression="#k = :v AND sk BETWEEN :a AND :b",
                  ExpressionAttributeNames={"#k": "pk"},
                  ExpressionAttributeValues={":v": S("p"), ":a": N(0), ":b": N(1)})
    assert [i["sk"] for i in r["Items"]] == [N(1)]
