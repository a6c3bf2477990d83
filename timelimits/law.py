"""Ceilings fixed by law. Everything else about time limits is data (TimeLimitPolicy).

行政许可法 (Administrative Licensing Law, 2019) 第42条: a decision within 20 working
days of acceptance, extendable by 10 with the agency head's approval; unified, joint
or centralised handling (第26条) within 45, extendable by 15 with the government
head's approval. 第82条: all these periods are working days.
"""

XKF_ART42_DECIDE_DAYS = 20
XKF_ART42_EXTENSION_DAYS = 10
XKF_ART42_JOINT_DECIDE_DAYS = 45
XKF_ART42_JOINT_EXTENSION_DAYS = 15

# basis code -> (limit ceiling, extension ceiling), both in working days
CEILINGS: dict[str, tuple[int, int]] = {
    "xkf_art42": (XKF_ART42_DECIDE_DAYS, XKF_ART42_EXTENSION_DAYS),
    "xkf_art42_joint": (XKF_ART42_JOINT_DECIDE_DAYS, XKF_ART42_JOINT_EXTENSION_DAYS),
}

# 全国年节及纪念日放假办法 (2024): holidays on fixed Gregorian dates, used for a year whose
# State Council arrangement is not published yet (元旦, 劳动节 5/1–5/2, 国庆 10/1–10/3).
FIXED_DATE_HOLIDAYS: tuple[tuple[int, int], ...] = (
    (1, 1),
    (5, 1),
    (5, 2),
    (10, 1),
    (10, 2),
    (10, 3),
)
