"""Every feature of the bot, in the order the command menus list their commands."""

from __future__ import annotations

from handlers import basics, deeplinks
from handlers.appeals import anticorruption, clarify, deadlines, intake, mine, ratings
from handlers.engagement import discussions, groups, mailings, poll_builder, polls
from handlers.faq import faq_answers, info, proposals
from handlers.person import personal_data, preferences
from handlers.registry import Audience, Registry
from handlers.reports import opendata, period_reports, usage
from handlers.staff import operators, roster

REGISTRY = Registry(
    (
        basics.WELCOME,
        intake.FEATURE,
        mine.FEATURE,
        operators.FEATURE,
        faq_answers.FEATURE,
        info.FEATURE,
        proposals.FEATURE,
        deeplinks.FEATURE,
        polls.FEATURE,
        poll_builder.FEATURE,
        discussions.FEATURE,
        mailings.FEATURE,
        groups.FEATURE,
        anticorruption.FEATURE,
        opendata.FEATURE,
        period_reports.FEATURE,
        usage.FEATURE,
        personal_data.FEATURE,
        preferences.FEATURE,
        roster.FEATURE,
        ratings.FEATURE,
        clarify.FEATURE,
        deadlines.FEATURE,
        basics.HELP,
    )
)

# The command menus: citizens' commands for everyone; staff chats list the staff's after them.
CITIZEN_MENU = REGISTRY.menu(Audience.EVERYONE)
STAFF_MENU = CITIZEN_MENU + REGISTRY.menu(Audience.OPERATORS, Audience.HEADS, Audience.ADMINS)
