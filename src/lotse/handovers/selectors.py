"""Reads of handovers: decide and log through the spine first. (Lists, gap check and the
coordinators' overview are added here.)"""
