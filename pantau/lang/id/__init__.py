"""lang/id"""
