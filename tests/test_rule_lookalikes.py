"""Look-alikes of this round's rules, where a rule must not fire: a programme named like a borough, a
department's own office under its letterhead, a menu's section printed twice, a real title that starts like a
label, a short bold title, a subject that leads into its date, a captions' licence note, a meeting over two
days, a briefing that cites another part of its parent body, a title of a letter and a word in capitals; and
an agency two lines under its department."""

from __future__ import annotations

import pytest

from tests.test_metadata import detect_text

CASES = [
    pytest.param("London Borough of Culture\n\nWaltham Forest London Borough of Culture 2019: Evaluation Report\n\nGreater London Authority\nJune 2020\n\nContents\nExecutive summary\nThe London Borough of Culture programme is the Mayor of London's initiative.\n",
                 'a06_borough_culture.txt', 'publisher', 'Greater London Authority', id='a06'),
    pytest.param('Department of Education\nOffice of Student Support Services\n400 Maryland Avenue SW, Washington, DC 20202\n\nJuly 12, 2023\n\nDear Colleague:\n\nRE: Guidance on the use of federal funds for school-based mental health\n\nThis letter clarifies how schools may use federal funds to support school-based mental health services.\n',
                 'd03_team.txt', 'publisher', 'Department of Education', id='d03'),
    pytest.param('Skip to main content\nAccept all cookies\nNorthfield City Council\nHome\nBenefits\nCost of living support\nCost of living support\n\nCouncil Tax Reduction Scheme 2024 to 2025\n\nThe Council Tax Reduction Scheme helps people on low incomes pay their council tax.\nPage last updated: 2 April 2024\n',
                 'w04_menu_repeat.txt', 'title', 'Council Tax Reduction Scheme 2024 to 2025', id='w04'),
    pytest.param('National Audit Office\n\nReport to the Chair of the Public Accounts Committee on the use of consultants in government\n\nCross-government\nHC 512 SESSION 2023-24 8 February 2024\n\nKey facts\n£2.8bn spent on consultants by central government in 2022-23\n',
                 'l03_chair_title.txt', 'title', 'Report to the Chair of the Public Accounts Committee on the use of consultants in government', id='l03'),
    pytest.param("**Healthy Lives, Healthy People**\n\n# Our strategy for public health in England\n\n## Ministerial foreword\n\nPublic health is everyone's business. Published by the Department of Health, November 2010.\n",
                 'b03_healthy.md', 'title', 'Healthy Lives, Healthy People', id='b03'),
    pytest.param('Tarnside Bus Partnership\nc/o Tarnside District Council, Civic Offices, Tarnside TS1 4HH\n\nTo all bus users\n\nRE: Changes to bus services in Tarnside from\nSunday 1 September 2024\n\nDear passenger,\n\nFrom Sunday 1 September 2024 a number of local bus services will change.\n\nDate: 2 August 2024\n',
                 'r02_re_from.txt', 'title', 'Changes to bus services in Tarnside from Sunday 1 September 2024', id='r02'),
    pytest.param('WEBVTT\n\nNOTE Westshire County Council - Open Government Licence v3.0 - Captions reviewed 12 March 2023\n\n00:00:01.000 --> 00:00:06.000\n<v Chair>Good evening and welcome to this meeting of the Cabinet of Westshire County Council on Thursday 9 March 2023. Can I ask members to switch their microphones on.\n\n00:00:06.500 --> 00:00:12.000\n<v Chair>First item is apologies for absence. Are there any apologies?\n\n00:00:12.500 --> 00:00:18.000\n<v Democratic Services Officer>Yes Chair, we have apologies from Councillor Evans and Councillor Hart.\n\n00:00:18.500 --> 00:00:25.000\n<v Chair>Thank you. Item two, declarations of interest. I see none.\n',
                 'v02_licence.vtt', 'published', '2023-03-09', id='v02'),
    pytest.param('Westshire County Council\n\nMinutes of the Pensions Committee held on 3 and 4 June 2024 at County Hall, Westbury\n\nPresent: Councillor K Lowe (Chair), Councillors A Hart, D Ince, F Jordan\n\nApologies: Councillor G Khan\n\n1 Minutes of the previous meeting\nThe minutes of the meeting held on 12 March 2024 were agreed as a correct record.\n',
                 'm03_twoday.txt', 'title', 'Minutes of the Pensions Committee held on 3 and 4 June 2024', id='m03'),
    pytest.param('House of Commons Library\nResearch Briefing\n\nAir quality: policies, proposals and concerns\n\nBy Louise Smith\n7 November 2023\n\nSummary\nPoor air quality is the largest environmental risk to public health in the UK.\n\nFurther reading\nParliamentary Office of Science and Technology, Urban outdoor air quality, POSTbrief 47, 2022,\navailable at www.parliament.uk/post\n\nDisclaimer\nThe Commons Library does not intend the information in our research publications to constitute advice.\nIf you have any comments on our briefings please email papers@parliament.uk.\ncommonslibrary.parliament.uk\n',
                 'a09_lib_post.txt', 'publisher', 'House of Commons Library', id='a09'),
    pytest.param('T LEVELS\n\nNext steps for providers\n\nDepartment for Education\nMarch 2024\n\nContents\nIntroduction\nT Levels are two-year technical qualifications for 16 to 19 year olds, equivalent to 3 A levels.\n',
                 'l08_tlevels.txt', 'title', 'T LEVELS', id='l08'),
    pytest.param('DEPARTMENT OF HEALTH AND HUMAN SERVICES\nPublic Health Service\nFood and Drug Administration\nSilver Spring, MD 20993\n\nWARNING LETTER\n\nMarch 14, 2024\n\nDear Mr. Lee:\n\nThe United States Food and Drug Administration (FDA) inspected your drug manufacturing facility.\n',
                 'd02_fda.txt', 'publisher', 'Food and Drug Administration', id='d02'),
]


@pytest.mark.parametrize("text, name, field, wanted", CASES)
def test_a_rule_does_not_fire_on_its_look_alike(tmp_path, text, name, field, wanted):
    value = detect_text(tmp_path, text, name)[field]
    assert (str(value) if value is not None else None) == wanted
