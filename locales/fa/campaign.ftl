## Campaigns (پویش), announcements, reminders and their reports.

## --- Creating a campaign ---------------------------------------------------------------

campaign-ask-title =
    📣 <b>پویش تازه</b>
    عنوان پویش را بنویسید (حداکثر ۱۰۰ حرف).
    مثال: کمک به سیل‌زدگان روستا
campaign-ask-title-again = عنوان تازه‌ی پویش را بنویسید (حداکثر ۱۰۰ حرف).
campaign-ask-body = توضیح پویش را بنویسید: چه کاری، چرا، و از اعضا چه می‌خواهید (حداکثر ۱۵۰۰ حرف).
campaign-ask-when = زمان پویش را بنویسید، مثل ۱۴۰۵/۹/۱۵ ۱۸:۳۰ یا «فردا ساعت ۱۸»، یا روز را از تقویم زیر انتخاب کنید.
campaign-ask-place = مکان پویش را بنویسید (حداکثر ۲۰۰ حرف)، یا اگر مکان خاصی ندارد «بدون مکان» را بزنید.
campaign-btn-no-place = بدون مکان
campaign-ask-reminders = اعضایی که پیام پویش را گرفته‌اند و «نمی‌توانم» نزده‌اند، این یادآوری‌ها را می‌گیرند. هر گزینه را با یک ضربه روشن یا خاموش کنید و سپس «ادامه» را بزنید.
campaign-ask-reminders-some-passed = اعضایی که پیام پویش را گرفته‌اند و «نمی‌توانم» نزده‌اند، این یادآوری‌ها را می‌گیرند. یادآوری‌هایی که زمانشان پیش از اکنون است نشان داده نمی‌شوند. هر گزینه را روشن یا خاموش کنید و سپس «ادامه» را بزنید.
campaign-ask-reminders-none-possible = زمان پویش آن‌قدر نزدیک است که یادآوری ممکن نیست. «ادامه» را بزنید.
campaign-reminder-1440 = یک روز قبل
campaign-reminder-120 = دو ساعت قبل
campaign-reminder-0 = هنگام شروع
campaign-toggle-on = ✅ { $label }
campaign-toggle-off = ⬜ { $label }
campaign-btn-reminders-done = ادامه ◀️
campaign-reminder-not-possible = زمان این یادآوری پیش از اکنون است.
campaign-reminders-none = بدون یادآوری
# Between the chosen reminders in «یادآوری‌ها: یک روز قبل، هنگام شروع».
campaign-reminders-separator = {"، "}
campaign-preview-control =
    👆 پیام بالا همان است که اعضا می‌بینند.
    گیرندگان: { $recipients } نفر
    یادآوری‌ها: { $reminders }
    آیا ارسال شود؟
campaign-btn-send = 📤 ارسال
campaign-btn-edit = ✏️ ویرایش
campaign-btn-discard = ❌ انصراف
campaign-edit-which = کدام بخش را ویرایش می‌کنید؟
campaign-edit-title = عنوان
campaign-edit-body = توضیح
campaign-edit-when = زمان
campaign-edit-place = مکان
campaign-edit-reminders = یادآوری‌ها
campaign-use-buttons = لطفاً یکی از دکمه‌های پیام بالا را بزنید؛ برای خروج «❌ انصراف» را بزنید.
campaign-preview-only = این فقط پیش‌نمایش است.
campaign-sending-started = 📤 ارسال پویش آغاز شد. گزارش زیر در حین ارسال به‌روز می‌شود.
# «ارسال» of a draft that was already sent (a second tap, or the same tap again after a restart).
campaign-already-sent = این پویش قبلاً فرستاده شده است و دوباره فرستاده نمی‌شود. گزارش آن را در «پویش‌ها» ببینید.
campaign-draft-lost = پیش‌نویس این پویش دیگر در دسترس نیست. لطفاً از «پویش‌ها» دکمه‌ی «📣 پویش تازه» را بزنید.
campaign-discarded = پویش فرستاده نشد و پیش‌نویس آن پاک شد.
campaign-no-recipients = کانون شما هنوز عضوی ندارد که پیام را بگیرد. وقتی اعضا پیوستند، دوباره تلاش کنید.

## --- Date and time (typed, or the calendar) ---------------------------------------------

when-set = 🗓 زمان: { $when }
when-default-hour = ساعت را ننوشتید، پس ساعت { $hour } گذاشته شد. پیش از تأیید نهایی می‌توانید آن را تغییر دهید.
when-ask-time =
    روز { $date } را انتخاب کردید.
    ساعت را از دکمه‌ها انتخاب کنید یا بنویسید، مثل ۱۸:۳۰.
when-ask-time-again = ساعت را نفهمیدم. ساعت را مثل ۱۸:۳۰ بنویسید یا یکی از دکمه‌ها را بزنید.
when-ask-day = روز را از تقویم انتخاب کنید، یا تاریخ و ساعت را بنویسید، مثل ۱۴۰۵/۹/۱۵ ۱۸:۳۰.
when-problem-unreadable = این زمان را نفهمیدم. لطفاً مثل ۱۴۰۵/۹/۱۵ ۱۸:۳۰ بنویسید، یا روز را از تقویم انتخاب کنید.
when-problem-need-date = تاریخ را هم بنویسید، مثل ۱۴۰۵/۹/۱۵ ۱۸:۳۰ یا «فردا ساعت ۱۸».
when-problem-gregorian = لطفاً تاریخ را شمسی بنویسید، مثل ۱۴۰۵/۹/۱۵ ۱۸:۳۰.
when-problem-year = سال { $year } درست به نظر نمی‌رسد. تاریخ را مثل ۱۴۰۵/۹/۱۵ بنویسید.
when-problem-month = ماه باید عددی از ۱ تا ۱۲ باشد. تاریخ را مثل ۱۴۰۵/۹/۱۵ بنویسید.
when-problem-day = { $month } { $year } فقط { $days } روز دارد. روز را درست بنویسید.
when-problem-esfand = سال { $year } کبیسه نیست و اسفند آن ۲۹ روز دارد؛ پس ۳۰ اسفند { $year } وجود ندارد. روز دیگری بنویسید.
when-problem-time = ساعت درست نیست. ساعت از ۰ تا ۲۳ و دقیقه از ۰ تا ۵۹ است، مثل ۱۸:۳۰.
when-problem-past = این زمان گذشته است ({ $when }). لطفاً زمانی در آینده بنویسید.
when-problem-past-plain = این زمان گذشته است. لطفاً زمانی در آینده بنویسید.
when-problem-too-far = پویش را می‌شود حداکثر تا یک سال آینده گذاشت. زمان نزدیک‌تری بنویسید.

cal-title = { $month } { $year }
cal-prev = ▶️ ماه قبل
cal-next = ماه بعد ◀️
cal-back = 🗓 بازگشت به تقویم
cal-past = این روز در بازه‌ی مجاز نیست؛ از امروز تا یک سال آینده را انتخاب کنید.
cal-out-of-range = پویش باید از امروز تا یک سال آینده باشد.
cal-nothing = یک روز از تقویم انتخاب کنید.
# Calendar column heads, Saturday first (Python's jdatetime: Saturday is 0).
cal-wd-0 = ش
cal-wd-1 = ی
cal-wd-2 = د
cal-wd-3 = س
cal-wd-4 = چ
cal-wd-5 = پ
cal-wd-6 = ج

## Words read in typed dates (bot/persian/dates.py); variants separated by |.
when-words-today = امروز
when-words-tomorrow = فردا
when-words-day-after = پس‌فردا|پسفردا
when-words-yesterday = دیروز
when-words-day-before = پریروز
when-words-next-week = هفته بعد|هفته‌ی بعد|هفته آینده|هفته‌ی آینده|هفته دیگه|بعدی
when-words-morning = صبح|بامداد
when-words-noon = ظهر
when-words-afternoon = عصر|بعدازظهر|بعد ازظهر|بعد از ظهر
when-words-night = شب
when-words-hour = ساعت
when-words-filler = روز|تاریخ|در|و|برای|از|به

## --- What members receive -----------------------------------------------------------------

campaign-call =
    📣 <b>{ $title }</b>
    🏠 { $center }

    { $body }

    🗓 زمان: { $when }
campaign-call-place = 📍 مکان: { $place }
campaign-call-question = آیا در این پویش شرکت می‌کنید؟
campaign-btn-yes = شرکت می‌کنم
campaign-btn-no = نمی‌توانم
campaign-btn-chosen = ✔️ { $label }
campaign-btn-mute = 🔕 یادآوری نفرست
campaign-btn-unmute = 🔔 یادآوری بفرست
campaign-answered-yes = پاسخ شما ثبت شد: شرکت می‌کنم. سپاسگزاریم! 🌱
campaign-answered-no = پاسخ شما ثبت شد: نمی‌توانم. برای این پویش یادآوری نمی‌گیرید.
campaign-answer-same = همین پاسخ پیش‌تر ثبت شده است.
campaign-muted = یادآوری‌های این پویش دیگر برای شما فرستاده نمی‌شود.
campaign-unmuted = یادآوری‌های این پویش دوباره برای شما فرستاده می‌شود.

announcement-message =
    📢 <b>اعلان</b>
    🏠 { $center }

    { $body }

reminder-message =
    ⏰ یادآوری پویش <b>{ $title }</b>
    { $lead }
    🗓 زمان: { $when }
reminder-lead-day = پویش یک روز دیگر برگزار می‌شود.
reminder-lead-hours = پویش { $hours } ساعت دیگر آغاز می‌شود.
reminder-lead-minutes = پویش { $minutes } دقیقه دیگر آغاز می‌شود.
reminder-lead-now = پویش همین حالا آغاز می‌شود.
reminder-lead-begun = پویش آغاز شده است.

campaign-cancel-notice =
    ❌ پویش «{ $title }» که برای { $when } بود، لغو شد.
    از همراهی شما سپاسگزاریم.
campaign-moved-notice =
    ⏰ زمان پویش «{ $title }» تغییر کرد.
    زمان تازه: { $when }
    زمان پیشین: { $previous }
    اگر پاسخ شما تغییر کرده است، دکمه‌ی مناسب را بزنید.

## --- The leader's report and lists ---------------------------------------------------------

report-campaign-title =
    📊 گزارش پویش <b>{ $title }</b>
    🗓 { $when }
report-announcement-title =
    📊 گزارش اعلان «{ $snippet }»
    🗓 فرستاده در { $when }
report-sent = 📨 رسید: { $sent } از { $total } نفر
report-unreachable = 🚫 ربات را بسته‌اند و پیام به آن‌ها نمی‌رسد: { $count }
report-failed = ⚠️ نرسید، دوباره تلاش می‌شود: { $count }
report-pending = ⏳ هنوز فرستاده نشده: { $count }
report-skipped = ⏹ فرستاده نشد (پویش لغو شد یا زمانش گذشت): { $skipped }
report-answers-title = پاسخ‌ها:
report-yes = 👍 شرکت می‌کنند: { $count }
report-no = 🙏 نمی‌توانند: { $count }
report-no-answer = ❔ هنوز پاسخ نداده‌اند: { $count }
campaign-state-sending = ⏳ در حال ارسال…
campaign-state-sent = ✅ ارسال به پایان رسید.
campaign-state-cancelled = ❌ این پویش لغو شده است.
campaign-state-past = 🏁 زمان پویش رسیده است.
campaign-btn-refresh = 🔄 به‌روزرسانی
campaign-btn-move = ⏰ تغییر زمان
campaign-btn-cancel-campaign = ❌ لغو پویش
campaign-refreshed = به‌روز شد.

campaigns-list-title = 📋 پویش‌ها و اعلان‌ها — { $center } (همه: { $total })
campaigns-list-campaign =
    { $n }. 📣 <b>{ $title }</b>
    🗓 { $when }
    { $state }
campaigns-list-announcement =
    { $n }. 📢 اعلان: «{ $snippet }»
    🗓 فرستاده در { $when }
campaigns-list-deliveries = 📨 رسید { $sent } از { $total } · در دسترس نیستند { $unreachable } · ناموفق { $failed } · در صف { $pending }
campaigns-list-answers = 👍 { $yes } شرکت می‌کنند · 🙏 { $no } نمی‌توانند · ❔ { $none } بی‌پاسخ
campaigns-list-open = 📊 { $n }. { $title }
campaigns-list-empty = هنوز پویش یا اعلانی نفرستاده‌اید؛ با دکمه‌های زیر شروع کنید.
campaigns-btn-new = 📣 پویش تازه
campaigns-btn-announce = 📢 اعلان به اعضا

campaigns-member-title = 📣 پویش‌های پیش روی شما:
campaigns-member-item =
    <b>{ $title }</b>
    🗓 { $when }
    پاسخ شما: { $answer }
campaigns-member-yes = شرکت می‌کنم
campaigns-member-no = نمی‌توانم
campaigns-member-none = هنوز پاسخ نداده‌اید
campaigns-member-open = 📣 { $title }
campaigns-member-empty = فعلاً پویشی پیش روی شما نیست. هر وقت راهبر کانون پویشی بفرستد، همین‌جا باخبر می‌شوید.
campaigns-not-member = شما هنوز عضو هیچ کانونی نیستید. برای پیوستن «عضویت در کانون» را بزنید.

## --- Cancelling and moving ------------------------------------------------------------------

campaign-cancel-confirm =
    آیا پویش «{ $title }» لغو شود؟
    به { $told } نفری که پیام پویش را گرفته‌اند خبر لغو فرستاده می‌شود و یادآوری‌ها دیگر فرستاده نمی‌شوند.
campaign-btn-cancel-yes = ✅ بله، لغو شود
campaign-btn-keep = بازگشت
campaign-cancelled-done = پویش «{ $title }» لغو شد. خبر لغو برای { $notices } نفر فرستاده می‌شود.
campaign-cancel-kept = پویش لغو نشد و سر جای خود است.

campaign-move-intro =
    ⏰ تغییر زمان پویش «{ $title }»
    زمان کنونی: { $when }
campaign-move-ask = زمان تازه را بنویسید، مثل ۱۴۰۵/۹/۱۵ ۱۸:۳۰، یا روز را از تقویم انتخاب کنید.
campaign-move-confirm =
    زمان پویش «{ $title }» تغییر کند؟
    از: { $previous }
    به: { $when }
    به { $told } نفری که پیام پویش را گرفته‌اند زمان تازه خبر داده می‌شود و یادآوری‌ها دوباره تنظیم می‌شوند.
campaign-btn-move-yes = ✅ تأیید
campaign-moved-done =
    ✅ زمان پویش تغییر کرد: { $when }
    خبر آن برای { $notices } نفر فرستاده می‌شود.
campaign-move-discarded = زمان پویش تغییر نکرد.

## --- Refusals ------------------------------------------------------------------------------

campaign-error-assistant = فقط راهبر کانون پویش یا اعلان می‌فرستد و آن را تغییر می‌دهد. اگر پیامی برای اعضا دارید، به راهبر بگویید.
campaign-error-no_center = شما راهبر هیچ کانونی نیستید. پویش و اعلان را راهبر کانون می‌فرستد.
campaign-error-not_leader = فقط راهبر همین کانون می‌تواند این کار را بکند.
campaign-error-not_found = این پویش پیدا نشد.
campaign-error-cancelled = این پویش لغو شده است.
campaign-error-started = زمان این پویش رسیده یا گذشته است.
campaign-error-not_recipient = این پویش برای شما فرستاده نشده است.
campaign-error-not_campaign = اعلان زمان و پاسخ ندارد؛ لغو یا جابه‌جا نمی‌شود.
campaign-error-same_time = زمان تازه با زمان کنونی یکی است. زمان دیگری بنویسید.
campaign-center-not-active = کانون شما هنوز فعال نشده است. وقتی همیار دعوت را بپذیرد، کانون فعال می‌شود و می‌توانید پویش بفرستید.
campaign-center-suspended = کانون شما اکنون معلق است و نمی‌تواند پویش یا اعلان بفرستد.

## --- Announcements --------------------------------------------------------------------------

announce-ask-text =
    📢 <b>اعلان به اعضا</b>
    متن اعلان را بنویسید (حداکثر ۱۵۰۰ حرف).
announce-ask-text-again = متن تازه‌ی اعلان را بنویسید (حداکثر ۱۵۰۰ حرف).
announce-preview-control =
    👆 پیام بالا همان است که اعضا می‌بینند.
    گیرندگان: { $recipients } نفر
    آیا ارسال شود؟
announce-sending-started = 📤 ارسال اعلان آغاز شد. گزارش زیر در حین ارسال به‌روز می‌شود.
announce-already-sent = این اعلان قبلاً فرستاده شده است و دوباره فرستاده نمی‌شود. گزارش آن را در «پویش‌ها» ببینید.
announce-discarded = اعلان فرستاده نشد و پیش‌نویس آن پاک شد.

## «👥 چه کسانی می‌آیند؟» on a campaign's report (names only, for the leader and assistant).
campaign-btn-people = 👥 چه کسانی می‌آیند؟
people-title = 👥 پویش «{ $title }» — { $list }:
people-list-y = می‌آیند
people-list-n = نمی‌آیند
people-list-q = بی‌پاسخ
people-line = { $n }. { $name }
people-none = هنوز کسی در این فهرست نیست.
people-btn-report = 📊 بازگشت به گزارش
