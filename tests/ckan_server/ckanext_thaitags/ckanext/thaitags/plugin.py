"""CKAN plugin ``thai_tags``: tag names may also use the Thai block (U+0E00-U+0E7F).

It also provides ``catalog_tools_positive_number`` (empty or a number above zero), the rule the
catalog-tools schema has for ``update_frequency_interval``, which CKAN core cannot express.

Core CKAN's ``tag_name_validator`` accepts only ``[\\w \\-.]``; Thai vowel and tone marks
(category Mn, e.g. in ``สถิติ``) are not ``\\w``, so most Thai keywords are rejected. Agency
catalogs run ckanext-thai_gdc, which widens the validator; this plugin does the same for the
test CKAN so that it stands for an agency catalog.

CKAN looks validators up by name (``get_validator``) and lets IValidators plugins override
core ones, which covers ``tags: [{"name": ...}]``. ``tag_string_convert`` (used for
``tag_string`` and by ckanext-scheming's ``tag_string_autocomplete`` preset) calls the core
``tag_name_validator`` function directly, so it is overridden too.
"""
from __future__ import annotations

import re
from itertools import count
from typing import Any

import ckan.plugins as plugins
from ckan.common import _
from ckan.lib.navl.dictization_functions import Invalid
from ckan.logic.validators import tag_length_validator

TAG_NAME_RE = re.compile(r"[\w \-.\u0E00-\u0E7F]*$", re.UNICODE)


def tag_name_validator(value: Any, context: Any) -> Any:
    """Like core ``tag_name_validator``, also allowing U+0E00-U+0E7F."""
    if not TAG_NAME_RE.match(value):
        raise Invalid(_('Tag "%s" can only contain alphanumeric '
                        'characters, spaces (" "), hyphens ("-"), '
                        'underscores ("_") or dots (".")') % (value))
    return value


def tag_string_convert(key: Any, data: Any, errors: Any, context: Any) -> Any:
    """Core ``tag_string_convert`` with this module's ``tag_name_validator``."""
    if isinstance(data[key], str):
        tags = [tag.strip() for tag in data[key].split(",") if tag.strip()]
    else:
        tags = data[key]

    current_index = max([int(k[1]) for k in data.keys()
                         if len(k) == 3 and k[0] == "tags"] + [-1])

    for num, tag in zip(count(current_index + 1), tags):
        data[("tags", num, "name")] = tag

    for tag in tags:
        tag_length_validator(tag, context)
        tag_name_validator(tag, context)


def positive_number(value: Any, context: Any) -> Any:
    """Empty, or a number above zero (the catalog-tools schema's rule for update_frequency_interval)."""
    if value in (None, ""):
        return value
    try:
        number = float(str(value).strip())
    except ValueError:
        raise Invalid(_("Must be a positive number")) from None
    if not number > 0 or number != number or number == float("inf"):
        raise Invalid(_("Must be a positive number"))
    return str(value).strip()


class ThaiTagsPlugin(plugins.SingletonPlugin):
    plugins.implements(plugins.IValidators)

    def get_validators(self) -> dict[str, Any]:
        return {
            "tag_name_validator": tag_name_validator,
            "tag_string_convert": tag_string_convert,
            "catalog_tools_positive_number": positive_number,
        }
