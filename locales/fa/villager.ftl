## A villager can do it alone (issue 10): the way back, free text at the main menu.

## Under every question (bot/conversations/navigation.py).
btn-step-back = 🔙 مرحله‌ی قبل
step-earlier-answer = پاسخ قبلی شما: «{ $answer }»

## The main menu's answers to free text (bot/handlers/basic.py).
menu-greeting = سلام، خوش آمدید 🌱 از دکمه‌های پایین یکی را بزنید.
menu-thanks = خواهش می‌کنم 🌱 هر وقت کاری داشتید، دکمه‌های پایین در خدمت شماست.
menu-shown = منوی اصلی 👇
menu-not-text = پیام صوتی، عکس و استیکر را نمی‌توانم بخوانم 🙏 لطفاً یکی از دکمه‌های پایین را بزنید.
help-leader-buttons = کار تازه‌ای برای اعضا دارید؟

## The date step (bot/conversations/when_step.py): one-tap days, hours as people say them.
cal-today = امروز
cal-tomorrow = فردا
cal-day-after = پس‌فردا
cal-hour = { $hour } { $period }
cal-period-am = صبح
cal-period-noon = ظهر
cal-period-pm = عصر
cal-period-night = شب
