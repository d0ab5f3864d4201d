# -*- coding: utf-8 -*-
# FC's python3-mysql sample, for fc-operator: one connection per instance, opened by the Initializer
# and closed by PreStop.
import os

import pymysql

connection = None


def initialize(context):
    global connection
    logger = context.get_logger()
    connection = pymysql.connect(
        host=os.environ["MYSQL_ENDPOINT"],
        port=int(os.environ.get("MYSQL_PORT", "3306")),
        user=os.environ["MYSQL_USER"],
        password=os.environ["MYSQL_PASSWORD"],
        database=os.environ["MYSQL_DBNAME"],
        connect_timeout=5,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    logger.info("initializer: connected to %s", os.environ["MYSQL_ENDPOINT"])


def handler(event, context):
    connection.ping(reconnect=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT NOW()")
        (now,) = cursor.fetchone()
    return {"now": str(now)}


def pre_stop(context):
    logger = context.get_logger()
    if connection is not None:
        connection.close()
        logger.info("preStop: connection closed")
