# -*- coding: utf-8 -*-
def initialize(context):
    print("initialize invoked")


def handler(event, context):
    return "😄"


def preStop(context):
    print("preStop invoked")
