## The core of the bot: menu, help, cancel, errors, dates.
## Messages are HTML for Telegram (only <b> and <i>); Bale gets them as plain text.
## Placeholders are filled with escaped values and Persian digits by bot/persian/catalog.py.

welcome =
    سلام { $name } 🌱
    به بات <b>کانون همیاری اجتماعی</b> خوش آمدید.
    از دکمه‌های پایین یکی را انتخاب کنید، یا برای راهنما /help را بفرستید.

help =
    <b>راهنمای بات کانون همیاری اجتماعی</b>

    کانون همیاری اجتماعی جمعی از مردم است که با هم پیوندی دارند: خانواده، محله، طایفه، همشهری‌ها، مسجد یا محل کار. کانون به جای خاصی وابسته نیست.

    <b>راهبر</b>: کانون را ثبت می‌کند، همیار خود را معرفی می‌کند و اعضا را به پویش‌ها فرا می‌خواند.
    <b>همیار</b>: به راهبر کمک می‌کند و درخواست‌های عضویت را تأیید یا رد می‌کند.
    <b>عضو</b>: با انتخاب خود به یک کانون می‌پیوندد و در پویش‌ها شرکت می‌کند.
    <b>رهیار</b>: از طرف انجمن، کانون را راهنمایی می‌کند.

    دستورها:
    /start شروع و منوی اصلی
    /register ثبت کانون تازه
    /join عضویت در کانون
    /mycenter کانون من
    /requests درخواست‌های عضویت (برای همیار و راهبر)
    /members اعضای کانون (برای راهبر و همیار)
    /campaigns پویش‌ها
    /campaign پویش تازه (راهبر)
    /announce اعلان به اعضا (راهبر)
    /cancel لغو کار نیمه‌تمام
    /help همین راهنما

start-bad-link = این پیوند معتبر نیست یا دیگر کار نمی‌کند. از منوی زیر ادامه دهید.
cancel-nothing = کار نیمه‌تمامی برای لغو نبود. از منوی زیر ادامه دهید.
cancel-done = لغو شد. هر وقت خواستید از منوی زیر دوباره شروع کنید.
unknown = متوجه نشدم. از دکمه‌های منو استفاده کنید یا برای راهنما /help را بفرستید.
error-apology = متأسفیم، مشکلی پیش آمد و کار شما انجام نشد. لطفاً چند لحظه بعد دوباره تلاش کنید.

## The main menu (reply keyboard).
menu-register = ثبت کانون
menu-join = عضویت در کانون
menu-mycenter = کانون من
menu-campaigns = پویش‌ها
menu-help = راهنما

## Command menu descriptions (Telegram only).
cmd-start = شروع و منوی اصلی
cmd-help = راهنمای بات
cmd-cancel = لغو کار نیمه‌تمام
cmd-mycenter = کانون من
cmd-join = عضویت در کانون
cmd-campaigns = پویش‌های کانون
cmd-requests = درخواست‌های عضویت در انتظار

## Common buttons.
btn-cancel = لغو
btn-skip = رد شدن
btn-back = بازگشت
btn-confirm = تأیید
btn-edit = ویرایش
btn-yes = بله
btn-no = خیر
btn-next = بعدی ◀️
btn-prev = ▶️ قبلی

## Common input problems: say what was wrong and what to do.
input-empty = پیام شما خالی بود. لطفاً دوباره بنویسید.
input-too-long = متن شما { $length } نویسه است؛ حداکثر { $limit } نویسه مجاز است. لطفاً کوتاه‌تر بنویسید.
input-too-short = متن شما خیلی کوتاه است؛ دست‌کم { $limit } نویسه بنویسید.
input-need-text = لطفاً پاسخ را به صورت متن بنویسید؛ عکس، استیکر یا فایل اینجا پذیرفته نمی‌شود.
input-stray-command = شما در میانه‌ی یک کار هستید. لطفاً به پرسش بالا پاسخ دهید، یا برای خروج /cancel را بفرستید.
button-stale = این دکمه دیگر معتبر نیست.
button-not-yours = این دکمه برای شما نیست.

## Dates (Jalali, Asia/Tehran).
date = { $day } { $month } { $year }
date-time = { $date }، ساعت { $time }
weekday-date = { $weekday } { $date }
month-1 = فروردین
month-2 = اردیبهشت
month-3 = خرداد
month-4 = تیر
month-5 = مرداد
month-6 = شهریور
month-7 = مهر
month-8 = آبان
month-9 = آذر
month-10 = دی
month-11 = بهمن
month-12 = اسفند
# Python's weekday(): Monday is 0.
weekday-0 = دوشنبه
weekday-1 = سه‌شنبه
weekday-2 = چهارشنبه
weekday-3 = پنجشنبه
weekday-4 = جمعه
weekday-5 = شنبه
weekday-6 = یکشنبه

## /mycenter when the user has no center yet.
mycenter-none =
    شما هنوز عضو هیچ کانونی نیستید.
    برای پیوستن به یک کانون «عضویت در کانون» را بزنید، یا اگر راهبر هستید «ثبت کانون» را.
center-card-minimal = کانون { $name } — شناسه: { $code }
member-card-minimal = شما عضو یک کانون هستید.
