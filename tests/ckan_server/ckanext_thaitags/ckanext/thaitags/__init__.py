"""Test-only CKAN extension widening tag_name_validator to the Thai block."""
