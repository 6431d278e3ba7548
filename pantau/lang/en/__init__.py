"""lang/en"""
