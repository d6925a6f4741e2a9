## The association's seat (issue 11): admins of the association (انجمن حامیان), facilitators
## (رهیار), asking a facilitator. HTML for Telegram (<b>, <i>); Bale gets plain text.

## The main menu's extra buttons (only for admins, only for facilitators).
menu-admin = 🏛 انجمن
menu-facilitator = 🧭 رهیاری

## --- Admins -------------------------------------------------------------------------------

adm-only = این بخش فقط برای کارکنان انجمن حامیان است.
adm-use-buttons = لطفاً یکی از دکمه‌های بالا را بزنید، یا برای خروج «لغو» را بزنید.
adm-name-needs-letters = نام باید دست‌کم دو حرف داشته باشد (نه فقط شکلک یا نشانه). لطفاً دوباره بنویسید.

adm-scope-all = همه‌ی کانون‌ها
adm-scope-org = کانون‌های سازمان رهیاری «{ $org }»
adm-age-days = { $days } روز و { $hours } ساعت
adm-age-hours = { $hours } ساعت

adm-fig-title =
    🏛 <b>انجمن حامیان — نگاه کلی</b>
    { $scope } · { $date }
adm-fig-separator = {"، "}
adm-fig-centers = 🏘 کانون‌ها: <b>{ $count }</b>
adm-fig-status = { $status } { $count }
adm-fig-kind = { $kind } { $count }
adm-fig-without-assistant = 👤 بدون همیار: { $count }
adm-fig-members = 👥 اعضا: <b>{ $count }</b>
adm-fig-platforms = بله { $bale }، تلگرام { $telegram }
adm-fig-waiting = ⏳ درخواست عضویت در انتظار: { $count } (قدیمی‌ترین: { $age })
adm-fig-waiting-none = ⏳ درخواست عضویتی در انتظار نیست.
adm-fig-campaigns = 📣 پویش‌های { $month }: { $count } · پاسخ‌دهی: { $rate }
adm-percent = { $value }٪

adm-status-active = فعال
adm-status-suspended = معلق
adm-status-awaiting_assistant = در انتظار همیار
adm-status-cancelled = لغوشده

adm-btn-chart = 📈 نمودار هفتگی
adm-btn-orgs = 🏢 به تفکیک سازمان
adm-btn-search = 🔎 جستجوی کانون
adm-btn-appoint = 🧭 تعیین رهیار
adm-btn-announce = 📣 پیام به راهبران
adm-btn-csv = 📄 فایل CSV
adm-btn-xlsx = 📊 فایل اکسل
adm-btn-refresh = 🔄 تازه کردن
adm-btn-all-centers = همه‌ی کانون‌ها
adm-btn-home = 🏛 نگاه کلی

adm-orgs-title = آمار کدام سازمان رهیاری را می‌خواهید ببینید؟
adm-orgs-none = هنوز هیچ سازمان رهیاری ثبت نشده است. هنگام تعیین رهیار می‌توانید سازمان او را نام ببرید.

adm-chart-week = { $day } { $month }
adm-chart-title = کانون‌ها و اعضا در { $weeks } هفته‌ی گذشته
adm-chart-subtitle = { $scope } · هر ستون: پایان هفته، شنبه تا جمعه
adm-chart-centers = کانون‌ها
adm-chart-members = اعضا
adm-chart-caption = 📈 { $scope }: اکنون { $centers } کانون و { $members } عضو.

## Finding a center.
adm-search-ask = نام یا کد کانون را بنویسید.
adm-search-none = کانونی با این نام یا کد پیدا نشد. نام دیگری یا کد کانون را بنویسید، یا «لغو» را بزنید.
adm-search-done = نتیجه‌ی جستجو:
adm-search-found = { $count } کانون پیدا شد. برای دیدن هر کانون دکمه‌اش را بزنید.
adm-search-more = { $shown } کانونِ نزدیک‌تر نشان داده شد و کانون‌های دیگری هم هست؛ برای یافتن بقیه نام را کامل‌تر بنویسید.
adm-search-result = { $name } · { $code }

## A center's full card.
adm-card-title = 🏘 <b>{ $name }</b>
adm-card-code = کد کانون: { $code }
adm-card-status = وضعیت: { $status }
adm-card-reason = دلیل تعلیق: { $reason }
adm-card-kind = نوع: { $kind } · منطقه: { $area }
adm-card-created = ثبت: { $date }
adm-card-leader = راهبر: { $person }
adm-card-assistant = همیار: { $person }
adm-card-person = { $name } ({ $mobile })
adm-card-person-nomobile = { $name }
adm-card-nobody = ندارد
adm-card-facilitator = رهیار: { $name } · سازمان: { $org }
adm-card-facilitator-none = رهیار: هنوز تعیین نشده
adm-card-org-none = بدون سازمان
adm-card-members = اعضا: { $count }
adm-card-pending = درخواست در انتظار: { $count }
adm-card-pending-oldest = درخواست در انتظار: { $count } (قدیمی‌ترین: { $age })
adm-card-campaigns = پویش‌ها و اعلان‌ها: { $count } · آخرین: { $last }
adm-card-actions-title = <b>کارهای اخیر:</b>
adm-card-actions-none = هنوز کاری ثبت نشده است.
adm-card-action = • { $time } — { $who }: { $what }
adm-card-action-reason = • { $time } — { $who }: { $what } ({ $reason })
adm-action-system = ربات
adm-action-other = کاری دیگر
adm-action-center-registered = کانون را ثبت کرد
adm-action-center-activated = همیاری را پذیرفت و کانون فعال شد
adm-action-center-assistant-replaced = همیار تازه شد
adm-action-center-dropped = ثبت کانون را رها کرد
adm-action-center-name-changed = نام کانون را تغییر داد
adm-action-center-area-changed = منطقه را تغییر داد
adm-action-center-description-changed = توضیح کانون را تغییر داد
adm-action-center-suspended = کانون را معلق کرد
adm-action-center-reactivated = کانون را دوباره فعال کرد
adm-action-center-facilitator-set = رهیار کانون شد
adm-action-center-facilitator-removed = رهیار را از کانون برداشت
adm-action-center-facilitator-message = به راهبر پیام داد
adm-action-membership-requested = درخواست عضویت داد
adm-action-membership-approved = درخواست عضویت را تأیید کرد
adm-action-membership-rejected = درخواست عضویت را رد کرد
adm-action-membership-withdrawn = درخواستش را پس گرفت
adm-action-membership-left = از کانون بیرون رفت
adm-action-membership-removed = عضوی را حذف کرد
adm-action-campaign-sent = پویش فرستاد
adm-action-announcement-sent = اعلان فرستاد
adm-action-campaign-cancelled = پویش را لغو کرد
adm-action-campaign-rescheduled = زمان پویش را تغییر داد
adm-action-campaign-reminder-skipped = یادآوری پویش فرستاده نشد

adm-btn-suspend = ⏸ تعلیق کانون
adm-btn-reactivate = ▶️ فعال کردن دوباره
adm-btn-appoint-here = 🧭 تعیین رهیار
adm-btn-replace-facilitator = 🧭 رهیار تازه
adm-btn-remove-facilitator = ✖️ برداشتن رهیار
adm-btn-remove-yes = ✖️ بله، برداشته شود
adm-btn-open-card = 🏘 کارت کانون
adm-remove-confirm = رهیار «{ $name }» از کانون «{ $center }» برداشته شود؟ راهبر، همیار و خود رهیار باخبر می‌شوند.
adm-removed = رهیار «{ $name }» برداشته شد.
adm-open-card-hint = کارت کامل کانون:

## Suspension.
adm-suspend-ask = دلیل تعلیق کانون «{ $name }» را بنویسید. این دلیل برای راهبر و همیار کانون فرستاده می‌شود.
adm-reactivate-ask = دلیل فعال کردن دوباره‌ی کانون «{ $name }» را بنویسید. این متن برای راهبر و همیار فرستاده می‌شود.
adm-suspended = ⏸ کانون «{ $name }» معلق شد. راهبر و همیار باخبر شدند؛ تا فعال شدن دوباره، درخواست عضویت و پویش تازه پذیرفته نمی‌شود.
adm-reactivated = ▶️ کانون «{ $name }» دوباره فعال شد و راهبر و همیار باخبر شدند.
adm-notice-suspended =
    ⛔ انجمن حامیان فعالیت کانون «{ $center }» را فعلاً متوقف کرد.
    دلیل: { $reason }
    تا فعال شدن دوباره، کانون عضو تازه نمی‌پذیرد و پویش تازه فرستاده نمی‌شود.
adm-notice-reactivated =
    ✅ کانون «{ $center }» دوباره فعال شد.
    { $reason }

## Appointing a facilitator.
adm-appoint-ask-codes = کد کانون‌هایی را که این رهیار راهنمایی می‌کند بنویسید؛ چند کد را با فاصله یا ویرگول از هم جدا کنید.
adm-appoint-or-area = یا همه‌ی کانون‌های یک منطقه را انتخاب کنید:
adm-btn-area = 📍 کانون‌های یک منطقه
adm-appoint-for = تعیین رهیار برای کانون «{ $name }».
adm-appoint-not-codes = این‌ها کد کانون نیستند: { $pieces }
adm-appoint-unknown-codes = کانونی با این کدها پیدا نشد: { $codes }
adm-appoint-no-centers = هیچ کانونی پیدا نشد. لطفاً کد کانون‌ها را دوباره بنویسید.
adm-appoint-centers = { $count } کانون انتخاب شد:
adm-appoint-ask-area = نام منطقه را بنویسید (مثلاً «کرمان» یا «روستای نظرآقا»).
adm-appoint-area-none = کانونی در منطقه‌ی «{ $area }» پیدا نشد. نام دیگری بنویسید.
adm-appoint-area-found = در منطقه‌ی «{ $area }» { $count } کانون هست:
adm-btn-area-ok = ✅ همین کانون‌ها
adm-centers-more = … و { $count } کانون دیگر
adm-center-line = • { $name } (کد { $code }، { $area })
adm-appoint-ask-org = رهیار از کدام سازمان رهیاری است؟
adm-btn-new-org = ➕ سازمان تازه
adm-btn-no-org = بدون سازمان
adm-appoint-ask-org-name = نام سازمان رهیاری را بنویسید.
adm-appoint-ask-name = نام رهیار را بنویسید؛ همین نام روی کارت کانون برای راهبر، همیار و اعضا دیده می‌شود.
adm-appoint-summary =
    <b>رهیار: { $name }</b>
    سازمان: { $org }
    برای { $count } کانون:
adm-btn-make-link = ✅ ساختن لینک دعوت
adm-appoint-ready = لینک دعوت «{ $name }» آماده است. پیام بعدی را برای او بفرستید. لینک یک بار کار می‌کند و تا { $expires } معتبر است.
adm-appoint-already = این لینک پیش‌تر ساخته شده بود؛ همان را بفرستید.
adm-appoint-forward =
    سلام { $name }،
    انجمن حامیان شما را به رهیاری چند کانون همیاری اجتماعی دعوت کرده است.
    برای دیدن کانون‌ها و پذیرفتن، لینک پیام‌رسان خود را باز کنید:
    { $links }
    این لینک تا { $expires } معتبر است و یک بار کار می‌کند.

## Announcing to leaders.
adm-announce-ask-audience = این پیام برای راهبران و همیاران کدام کانون‌ها فرستاده شود؟
adm-announce-cancel-hint = برای خروج «لغو» را بزنید.
adm-btn-audience-all = همه‌ی کانون‌ها
adm-btn-audience-org = کانون‌های یک سازمان
adm-btn-audience-area = کانون‌های یک منطقه
adm-announce-ask-org = کدام سازمان رهیاری؟
adm-announce-ask-area = نام منطقه را بنویسید.
adm-announce-ask-text = متن پیام را بنویسید. گیرندگان: { $audience } — { $count } راهبر و همیار.
adm-announce-ask-again = متن تازه را بنویسید.
adm-announce-preview = پیش‌نمایش بالا برای { $count } راهبر و همیار ({ $audience }) فرستاده می‌شود. هر نفر یک بار می‌گیرد.
adm-btn-send = ✅ ارسال
adm-btn-edit = ✏️ ویرایش
adm-btn-discard = ❌ لغو
adm-announce-started = ارسال به { $count } نفر آغاز شد. گزارش ارسال را در پیام بعدی می‌بینید.
adm-announce-already = این پیام پیش‌تر فرستاده شده بود و دوباره فرستاده نشد.
adm-audience-all = همه‌ی کانون‌ها
adm-audience-org = کانون‌های سازمان «{ $org }»
adm-audience-area = کانون‌های منطقه‌ی «{ $area }»
adm-announcement =
    🏛 <b>پیام انجمن حامیان</b>

    { $body }
adm-report-title = 📣 گزارش پیام به راهبران — { $audience }
adm-report-figures = همه: { $total } · رسید: { $sent } · ربات را بسته‌اند: { $unreachable } · نرسید: { $failed } · در صف: { $pending }
adm-report-sending = ⏳ در حال ارسال…
adm-report-done = ✅ ارسال تمام شد.

## The export.
adm-export-wait = فایل در حال آماده شدن است…
adm-export-busy = فایل قبلی شما هنوز در حال آماده شدن است؛ چند لحظه صبر کنید.
adm-export-failed = فایل کانون‌ها این بار آماده نشد. لطفاً چند دقیقه‌ی دیگر دوباره دکمه‌ی فایل را بزنید.
adm-export-caption = فهرست { $count } کانون ({ $kind }) — { $date }
adm-export-code = کد کانون
adm-export-name = نام
adm-export-kind = نوع
adm-export-area = منطقه
adm-export-state = وضعیت
adm-export-leader = راهبر
adm-export-leader-mobile = موبایل راهبر
adm-export-assistant = همیار
adm-export-assistant-mobile = موبایل همیار
adm-export-facilitator = رهیار
adm-export-org = سازمان رهیاری
adm-export-members = اعضا
adm-export-pending = درخواست در انتظار
adm-export-created = تاریخ ثبت

## Refusals.
adm-refusal-center_not_found = این کانون پیدا نشد یا لغو شده است.
adm-refusal-not_active = فقط کانون فعال را می‌توان معلق کرد؛ این کانون اکنون فعال نیست.
adm-refusal-not_suspended = این کانون معلق نیست.
adm-refusal-no_facilitator = این کانون رهیاری ندارد.
adm-refusal-no_recipients = هیچ راهبر یا همیاری در این گروه از کانون‌ها نیست. گروه دیگری را انتخاب کنید.
adm-refusal-org_not_found = این سازمان رهیاری پیدا نشد.

## --- Facilitators -----------------------------------------------------------------------------

fac-card-line = 🧭 رهیار: { $name }
fac-invitation =
    🧭 <b>دعوت به رهیاری</b>
    انجمن حامیان از شما، { $name }، دعوت کرده است که رهیار (راهنما و مشاور) { $count } کانون همیاری اجتماعی باشید.
fac-invitation-org = سازمان رهیاری: { $org }
fac-invitation-ask = می‌پذیرید؟
fac-btn-accept = ✅ می‌پذیرم
fac-btn-decline = ❌ نمی‌پذیرم
fac-accepted =
    ✅ { $name }، شما اکنون رهیار { $count } کانون هستید.
    فهرست کانون‌هایتان همیشه در دکمه‌ی «🧭 رهیاری» است؛ کانون‌هایی که به کمک نیاز دارند اول می‌آیند. هر شنبه صبح هم گزارش هفته را می‌گیرید.
fac-declined = دعوت را نپذیرفتید و انجمن باخبر شد.
fac-not-facilitator = شما رهیار هیچ کانونی نیستید.
fac-admin-accepted = ✅ «{ $name }» رهیاری { $count } کانون را پذیرفت.
fac-admin-declined = «{ $name }» دعوت رهیاری ({ $count } کانون) را نپذیرفت.
fac-notice-set = 🧭 انجمن حامیان «{ $name }» را رهیار کانون «{ $center }» تعیین کرد. رهیار راهنما و مشاور کانون است؛ شما و اعضا می‌توانید از کارت کانون با دکمه‌ی «💬 پرسش از رهیار» از او بپرسید.
fac-notice-replaced = انجمن حامیان برای برخی از کانون‌های شما رهیار دیگری تعیین کرد. فهرست کانون‌های کنونی شما در «🧭 رهیاری» است.
fac-notice-removed = انجمن حامیان «{ $name }» را از رهیاری کانون «{ $center }» برداشت. رهیار تازه را به شما خبر می‌دهیم.
fac-notice-removed-you = انجمن حامیان شما را از رهیاری کانون «{ $center }» برداشت. از همراهی‌تان سپاسگزاریم.

fac-home-title = 🧭 <b>کانون‌های شما: { $count }</b> · نیازمند کمک: { $needing }
fac-home-page = صفحه‌ی { $page } از { $pages }
fac-home-legend = ⏳ درخواست بیش از ۴۸ ساعت منتظر · 👤 بدون همیار · 📭 بی‌پویش در ۶۰ روز · 📉 پاسخ‌دهی رو به کاهش
fac-center-button = { $marks } { $name }
fac-btn-questions = ❓ پرسش‌های باز ({ $count })
fac-btn-message = ✉️ پیام به راهبر و همیار
fac-btn-list = 🔙 فهرست کانون‌ها
fac-btn-open-list = 🧭 کانون‌های من
fac-needs-separator = {"، "}
fac-need-waiting = درخواست عضویت بیش از ۴۸ ساعت منتظر
fac-need-no_assistant = بدون همیار
fac-need-no_campaign = بی‌پویش در ۶۰ روز گذشته
fac-need-falling = پاسخ‌دهی اعضا رو به کاهش
fac-card-title = 🏘 <b>{ $name }</b>
fac-card-code = کد کانون: { $code } · منطقه: { $area }
fac-card-leader = راهبر: { $name }
fac-card-assistant = همیار: { $name }
fac-card-assistant-none = همیار: ندارد
fac-card-members = اعضا: { $count }
fac-card-pending = درخواست در انتظار: { $count }
fac-card-pending-oldest = درخواست در انتظار: { $count } (قدیمی‌ترین: { $age })
fac-card-last-campaign = آخرین پویش: { $date }
fac-card-no-campaign = هنوز پویشی فرستاده نشده است.
fac-card-needs = ⚠️ نیاز به کمک: { $needs }
fac-card-fine = ✅ نشانه‌ای از مشکل نیست.

fac-message-ask = پیام خود را برای راهبر و همیار کانون «{ $center }» بنویسید.
fac-message-sent = ✅ پیام شما برای راهبر و همیار کانون «{ $center }» فرستاده شد.
fac-message-already = این پیام پیش‌تر برای کانون «{ $center }» فرستاده شده بود.
fac-message-unreachable = ⚠️ پیام به { $name } نرسید: ربات را بسته یا هنوز شروع نکرده است.
fac-message =
    🧭 <b>پیام رهیار کانون «{ $center }»</b> — { $name }:

    { $body }

fac-digest-title = 🧭 <b>گزارش هفته‌ی رهیاری</b> (هفته‌ی منتهی به { $date })
fac-digest-changes-title = <b>در این هفته:</b>
fac-digest-no-changes = در این هفته در کانون‌های شما تغییری نبود.
fac-digest-change = • { $center }: عضو تازه { $joined }، رفته { $left }، درخواست { $requests }، پویش { $campaigns }
fac-digest-more = … و { $count } کانون دیگر
fac-digest-needs-title = <b>نیازمند کمک ({ $count }):</b>
fac-digest-no-needs = هیچ‌کدام از کانون‌های شما نشانه‌ای از مشکل ندارد.
fac-digest-need = • { $center }: { $needs }
fac-digest-questions = ❓ { $count } پرسش بی‌پاسخ دارید.

fac-refusal-not_found = این لینک دعوت معتبر نیست.
fac-refusal-used = این لینک دعوت پیش‌تر به کار رفته است و دوباره کار نمی‌کند.
fac-refusal-declined = این دعوت پیش‌تر رد شده است.
fac-refusal-cancelled = این دعوت لغو شده است.
fac-refusal-expired = مهلت این لینک دعوت گذشته است. از انجمن لینک تازه بخواهید.
fac-refusal-no_centers = کانون‌های این دعوت دیگر وجود ندارند.
fac-refusal-runs_one = شما راهبر یا همیار یکی از این کانون‌ها هستید و نمی‌توانید رهیار همان کانون باشید.
fac-refusal-not_facilitator = شما رهیار این کانون نیستید.
fac-refusal-question_gone = این پرسش پیدا نشد یا برای شما نیست.
fac-refusal-already_answered = به این پرسش پیش‌تر پاسخ داده شده است.
fac-refusal-no_facilitator = کانون شما هنوز رهیاری ندارد.
fac-refusal-no_center = شما عضو هیچ کانونی نیستید.
fac-refusal-center_not_active = این کانون اکنون فعال نیست.
fac-refusal-center_not_found = این کانون پیدا نشد.

## --- Asking the facilitator -------------------------------------------------------------------

qa-btn-ask = 💬 پرسش از رهیار
qa-btn-answer = ✍️ پاسخ
qa-ask = پرسش خود را از رهیار کانون، { $name }، بنویسید (حداکثر { $limit } حرف). نام و نقش شما و نام کانون همراه پرسش فرستاده می‌شود، شماره‌ی تلفن شما نه.
qa-sent = ✅ پرسش شما برای { $name } فرستاده شد. پاسخ را همین‌جا می‌گیرید.
qa-already = این پرسش پیش‌تر برای { $name } فرستاده شده بود.
qa-unreachable-facilitator = ⚠️ پرسش شما ثبت شد اما به { $name } نرسید: رهیار ربات را بسته است. انجمن را باخبر کنید.
qa-role-leader = راهبر
qa-role-assistant = همیار
qa-role-member = عضو
qa-question =
    ❓ <b>پرسش از { $name }</b> ({ $role } کانون «{ $center }») — { $time }:

    { $body }
qa-reminder = ⏰ این پرسش سه روز است بی‌پاسخ مانده است:
qa-answer-ask = پاسخ خود را به { $name } بنویسید.
qa-answer-sent = ✅ پاسخ شما برای { $name } فرستاده شد.
qa-unreachable-asker = ⚠️ پاسخ شما ثبت شد اما به { $name } نرسید: ربات را بسته است.
qa-answer =
    🧭 <b>پاسخ رهیار ({ $name })</b>

    پرسش شما: { $question }

    { $answer }
qa-answered-at = پاسخ داده شد: { $time }
qa-open-none = پرسش بی‌پاسخی ندارید.
qa-open-title = ❓ <b>{ $count } پرسش بی‌پاسخ</b> (قدیمی‌ترین اول):
qa-open-more = { $shown } پرسش اول در پیام‌های بعدی است؛ پس از پاسخ، بقیه را می‌بینید.
fac-card-suspended-reason = دلیل توقف: { $reason }
