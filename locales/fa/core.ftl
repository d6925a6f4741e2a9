## The core of the bot: menu, help, cancel, errors, dates.
## Messages are HTML for Telegram (only <b> and <i>); Bale gets them as plain text.
## Placeholders are filled with escaped values and Persian digits by bot/persian/catalog.py.

welcome =
    سلام { $name } 🌱
    به ربات <b>کانون همیاری اجتماعی</b> خوش آمدید.
    برای پیوستن به کانون خود «عضویت در کانون» را بزنید؛ اگر راهبر کانون هستید «ثبت کانون» را. هر وقت سؤالی داشتید «راهنما» را بزنید.

# Help, one per role (bot/handlers/basic.py), each ≤ 400 characters (tests/unit/test_villager_words.py).
help-newcomer =
    <b>راهنما</b>
    کانون همیاری اجتماعی جمعی از مردم است که با هم پیوندی دارند: خانواده، محله، طایفه، مسجد یا محل کار.
    • برای پیوستن: «عضویت در کانون» را بزنید و کد کانون یا نامش را بفرستید.
    • اگر می‌خواهید کانون تازه‌ای راه بیندازید و راهبر (گرداننده‌ی) آن باشید: «ثبت کانون».
help-member =
    <b>راهنما</b>
    • «کانون من»: کانون شما و وضعیت عضویتتان؛ خروج از کانون هم همان‌جاست.
    • «پویش‌ها»: برنامه‌هایی که راهبر کانون فرستاده؛ با «شرکت می‌کنم» یا «نمی‌توانم» پاسخ دهید.
    رهیار (مشاور کانون از طرف انجمن) هم در «کانون من» در دسترس است.
help-assistant =
    <b>راهنمای همیار</b>
    شما همیار کانون هستید: به راهبر کمک می‌کنید و درخواست‌های عضویت را تأیید یا رد می‌کنید.
    • درخواست تازه که برسد، همین‌جا با دکمه‌های «✅ تأیید» و «❌ رد» می‌آید.
    • «کانون من»: کانون، اعضا و درخواست‌های منتظر.
    • «پویش‌ها»: پویش‌هایی که راهبر فرستاده و گزارش آن‌ها.
help-leader =
    <b>راهنمای راهبر</b>
    شما راهبر کانون هستید: اعضا را به پویش‌ها فرا می‌خوانید و همیار به شما کمک می‌کند.
    • «کانون من»: کد کانون، لینک دعوت، اعضا و ویرایش مشخصات.
    • «پویش‌ها»: گزارش پویش‌ها؛ با دکمه‌های زیر پویش تازه یا اعلان بفرستید.

start-bad-link = این لینک معتبر نیست یا دیگر کار نمی‌کند. از منوی زیر ادامه دهید.
cancel-nothing = کار نیمه‌تمامی نبود. از منوی پایین ادامه دهید.
cancel-done = لغو شد. هر وقت خواستید از منوی زیر دوباره شروع کنید.
unknown = متوجه نشدم. لطفاً یکی از دکمه‌های پایین را بزنید، یا بنویسید «راهنما».
error-apology = متأسفیم، مشکلی پیش آمد و کار شما انجام نشد. لطفاً چند لحظه بعد دوباره تلاش کنید.

## The main menu (reply keyboard).
menu-register = ثبت کانون
menu-join = عضویت در کانون
menu-mycenter = کانون من
menu-campaigns = پویش‌ها
menu-help = راهنما

## Command menu descriptions (Telegram only).
cmd-start = شروع و منوی اصلی
cmd-help = راهنمای ربات
cmd-cancel = لغو کار نیمه‌تمام
cmd-mycenter = کانون من
cmd-join = عضویت در کانون
cmd-campaigns = پویش‌های کانون
cmd-requests = درخواست‌های عضویت در انتظار

## Common buttons.
btn-cancel = ❌ انصراف
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
input-too-long = متن شما { $length } حرف است؛ حداکثر { $limit } حرف مجاز است. لطفاً کوتاه‌تر بنویسید.
input-too-short = متن شما خیلی کوتاه است؛ دست‌کم { $limit } حرف بنویسید.
input-need-text = لطفاً پاسخ را به صورت متن بنویسید؛ عکس، استیکر یا فایل اینجا پذیرفته نمی‌شود.
input-stray-command = شما در میانه‌ی یک کار هستید. لطفاً به پرسش بالا پاسخ دهید، یا «❌ انصراف» را بزنید.
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
center-card-minimal = کانون { $name } — کد کانون: { $code }
member-card-minimal = شما عضو یک کانون هستید.
