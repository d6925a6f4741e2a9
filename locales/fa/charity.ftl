## Charitable campaigns (پویش نیکوکارانه): needs, pledges, receipts, progress (docs/charity.md).

## --- Choosing the kind, and creating a help campaign ---------------------------------------

campaign-ask-kind =
    📣 <b>پویش تازه</b>
    نوع پویش را انتخاب کنید:
    • گردهمایی: زمان و مکانی که اعضا در آن جمع می‌شوند.
    • نیکوکارانه: کمک نقدی، کالا یا روز کار برای یک نیاز.
campaign-kind-gathering = 📅 گردهمایی
campaign-kind-help = 🤝 نیکوکارانه
charity-btn-back = 🔙 مرحله‌ی قبل
charity-btn-cancel = ❌ انصراف
charity-ask-title =
    🤝 <b>پویش نیکوکارانه</b>
    عنوان پویش را بنویسید (حداکثر ۱۰۰ حرف).
    مثال: کمک به سیل‌زدگان روستا
charity-ask-body = توضیح پویش را بنویسید: برای چه کسی، چرا، و چه چیزی لازم است (حداکثر ۱۵۰۰ حرف).
charity-ask-deadline = تا چه روزی کمک‌ها را جمع می‌کنید؟ تاریخ را بنویسید، مثل ۱۴۰۵/۹/۲۰ ۱۸:۰۰، یا روز را از تقویم انتخاب کنید، یا «بدون مهلت» را بزنید.
charity-btn-no-deadline = بدون مهلت
charity-ask-need =
    چه چیزی لازم است؟ یک نوع را انتخاب کنید.
    نیازهای تا اینجا: { $count }
charity-need-money = 💰 پول
charity-need-goods = 📦 کالا
charity-need-work = 🛠 روز کار
charity-needs-done = ادامه ◀️
charity-ask-goods-name = نام کالا را بنویسید، مثل «برنج» یا «پتو» (حداکثر ۴۸ حرف).
charity-ask-goods-unit = واحد آن را بنویسید، مثل «کیسه» یا «عدد» (حداکثر ۲۴ حرف).
charity-ask-target-money = چقدر لازم است؟ مبلغ را بنویسید، مثل «۵ میلیون تومان»، یا «بدون مقدار» را بزنید.
charity-ask-target-quantity = چند { $unit } لازم است؟ عدد را بنویسید، مثل «۲۰»، یا «بدون مقدار» را بزنید.
charity-btn-no-target = بدون مقدار
charity-need-added = ✅ اضافه شد: { $need }
charity-too-many-needs = بیشتر از ۸ نیاز نمی‌شود. «ادامه» را بزنید.
charity-need-first = اول دست‌کم یک نیاز اضافه کنید.
charity-preview-control =
    👆 پیام بالا همان است که اعضا می‌بینند.
    گیرندگان: { $recipients } نفر
    آیا ارسال شود؟
charity-btn-send = 📤 ارسال
charity-btn-discard = لغو
charity-discarded = پویش فرستاده نشد و پیش‌نویس آن پاک شد.
charity-sending-started = 📤 ارسال پویش نیکوکارانه آغاز شد. گزارش را در «پویش‌ها» یا با دکمه‌ی زیر ببینید.
charity-already-sent = این پویش قبلاً فرستاده شده است و دوباره فرستاده نمی‌شود.
charity-draft-lost = پیش‌نویس این پویش دیگر در دسترس نیست. لطفاً از «پویش تازه» دوباره شروع کنید.
charity-use-buttons = لطفاً یکی از دکمه‌های پیام بالا را بزنید.

## --- The call and the needs ---------------------------------------------------------------

charity-call =
    🤝 <b>{ $title }</b>
    کانون: { $center }

    { $body }
charity-call-deadline = ⏳ مهلت: { $when }
charity-call-needs = <b>نیازها:</b>
charity-need-line = { $need }
charity-need-target = { $need } — هدف: { $target }
charity-no-money-held = ℹ️ ربات پولی نگه نمی‌دارد؛ کمک را مستقیم به راهبر یا همیار کانون برسانید. این ربات فقط ثبت شفاف قول‌ها و رسیده‌هاست.
charity-call-question = برای هر نیازی که می‌توانید، «کمک می‌کنم» را بزنید.
charity-need-money-label = کمک نقدی
charity-need-work-label = روز کار
charity-need-goods-label = { $name } ({ $unit })
charity-btn-pledge = 🤝 کمک می‌کنم: { $need }
charity-btn-status = 📊 وضعیت پویش
charity-quantity = { $quantity } { $unit }
charity-work-unit = روز کار

## --- Pledging ------------------------------------------------------------------------------

charity-ask-amount-money = چقدر برای «{ $need }» کمک می‌کنید؟ مبلغ را بنویسید، مثل «۵۰۰ هزار» یا «۲ میلیون تومان».
charity-ask-amount-quantity = چند { $unit } برای «{ $need }» می‌دهید؟ عدد را بنویسید، مثل «۳» یا «دو و نیم».
charity-existing-pledge = پیش‌تر قول داده‌اید: { $amount }. مقدار تازه را بنویسید، یا «پس گرفتن قول» را بزنید.
charity-btn-withdraw = ↩️ پس گرفتن قول
charity-amount-check = { $amount }؛ درست است؟
charity-btn-yes = ✅ درست است
charity-btn-no = ✏️ نه، دوباره می‌نویسم
charity-unit-mismatch = این نیاز با «{ $unit }» شمرده می‌شود. لطفاً فقط عدد را بنویسید، مثل «۳».
charity-ask-note = اگر یادداشتی دارید بنویسید (مثلاً کی و چطور می‌رسانید)، یا «بدون یادداشت» را بزنید.
charity-btn-no-note = بدون یادداشت
charity-ask-named = نام شما کنار قولتان به دیگر اعضا نشان داده شود؟ (راهبر، همیار و رهیار همیشه می‌بینند.)
charity-btn-named = 👤 با نام من
charity-btn-anonymous = 🙈 بی‌نام
charity-pledge-saved =
    ✅ قول شما ثبت شد: { $amount } برای «{ $need }».
    هر وقت رساندید، «تحویل دادم» را بزنید.
charity-pledge-changed = ✅ قول شما تغییر کرد: { $amount } برای «{ $need }».
charity-btn-delivered = 📦 تحویل دادم
charity-withdrawn = قول شما برای «{ $need }» پس گرفته شد.
charity-reported = سپاس! به راهبر و همیار گفته شد تا رسیدن آن را تأیید کنند.
charity-reported-again = این را پیش‌تر گفته‌اید؛ منتظر تأیید راهبر یا همیار است.
charity-to-confirm =
    📦 { $name } می‌گوید «{ $amount }» برای «{ $need }» در پویش «{ $title }» را تحویل داده است.
    اگر رسیده است، تأیید کنید.
charity-btn-confirm = ✅ رسید، تأیید می‌کنم
charity-confirmed = ✅ ثبت شد: «{ $amount }» از { $name } رسید.
charity-confirmed-already = این قول پیش‌تر رسیده ثبت شده است.
charity-thanks = 🌷 سپاس! رسیدن «{ $amount }» برای «{ $need }» در پویش «{ $title }» تأیید شد. خدا قوت.

## --- Progress, reports ------------------------------------------------------------------------

charity-bar = { $bar } { $percent }٪
charity-progress-title =
    📊 <b>وضعیت پویش «{ $title }»</b>
    کسانی که قول داده‌اند: { $pledgers } نفر
charity-progress-closed = 🔒 این پویش بسته شده است.
charity-progress-need = <b>{ $need }</b>
charity-progress-promised = قول: { $amount }
charity-progress-delivered = رسیده: { $amount }
charity-progress-target = هدف: { $amount }
charity-progress-givers = با نام: { $names }
charity-progress-anonymous = بی‌نام: { $count } نفر
charity-giver-line = • { $name }: { $amount } — { $status }
charity-giver-note = ({ $note })
charity-giver-anonymous = { $name } (بی‌نام)
charity-status-promised = قول
charity-status-reported = گفته تحویل داده
charity-status-delivered = رسیده
charity-names-separator = {"، "}
charity-btn-refresh = 🔄 تازه کن
charity-btn-pledges = 📋 قول‌ها و رسیدها
charity-btn-share = 📣 فرستادن وضعیت به همه
charity-btn-csv = 📄 فایل CSV
charity-btn-xlsx = 📊 فایل اکسل
charity-pledges-title = 📋 <b>قول‌های پویش «{ $title }»</b>
charity-pledges-empty = هنوز کسی قول نداده است.
charity-btn-receipt = ✅ رسید: { $name }
charity-shared = وضعیت پویش برای { $count } نفر فرستاده می‌شود.
charity-progress-update = 📣 <b>خبر تازه از پویش</b>
charity-my-pledges = قول‌های شما:
charity-export-caption = قول‌های پویش «{ $title }»
charity-export-header-name = نام
charity-export-header-need = نیاز
charity-export-header-amount = مقدار
charity-export-header-status = وضعیت
charity-export-header-anonymous = بی‌نام
charity-export-header-note = یادداشت
charity-yes = بله
charity-no = نه

## --- The deadline ----------------------------------------------------------------------------

charity-reminder =
    ⏳ یادآوری: مهلت پویش «{ $title }» { $when } تمام می‌شود.
    قول شما هنوز رسیده ثبت نشده است. اگر رسانده‌اید «تحویل دادم» را بزنید.
charity-closed-thanks =
    🌷 پویش «{ $title }» به پایان رسید. از همراهی شما سپاسگزاریم.
charity-final-report = 📊 گزارش پایانی پویش «{ $title }»

## --- Refusals: charity-error-{ code } -----------------------------------------------------------

charity-error-not_found = این پویش یا قول پیدا نشد.
charity-error-not_recipient = این پویش برای شما فرستاده نشده است.
charity-error-closed = مهلت این پویش تمام شده و قول تازه پذیرفته نمی‌شود.
charity-error-cancelled = این پویش لغو شده است.
charity-error-delivered = این قول رسیده ثبت شده است و دیگر تغییر نمی‌کند.
charity-error-not_yours = این قول مال شما نیست.
charity-error-not_staff = فقط راهبر و همیار کانون می‌توانند رسیدن کمک را ثبت کنند.
charity-error-own_pledge = رسیدن کمک خودتان را نمی‌توانید تأیید کنید؛ همیار یا راهبر دیگر باید تأیید کند.
charity-error-already = این کار پیش‌تر انجام شده است.
charity-error-no_needs = پویش نیکوکارانه دست‌کم یک نیاز لازم دارد.
charity-error-when_past = این زمان گذشته است. لطفاً زمانی در آینده بنویسید.
charity-error-when_too_far = مهلت باید تا یک سال آینده باشد.
charity-error-left = شما دیگر عضو یا حامی این کانون نیستید؛ قول تازه از شما پذیرفته نمی‌شود.
charity-error-not_leader = فقط راهبر کانون می‌تواند این کار را بکند.
charity-sent-menu = پویش فرستاده شد. هر وقت خواستید، گزارش آن را در «پویش‌ها» ببینید.
campaigns-list-help =
    { $n }. 🤝 <b>{ $title }</b> (نیکوکارانه)
    🗓 فرستاده در { $when }
charity-chart-title = پیشرفت پویش «{ $title }»
charity-chart-legend = کم‌رنگ: قول داده‌شده · پررنگ: رسیده (نسبت به هدف)
charity-chart-promised = قول { $percent }٪
charity-chart-delivered = رسیده { $percent }٪
charity-chart-caption = 📊 نمودار پیشرفت پویش «{ $title }»

## --- Attendance of a gathering, after its start ---------------------------------------------

campaign-error-not_started = حضور و غیاب پس از آغاز پویش ممکن است.
attendance-title =
    🙋 <b>حضور در «{ $title }»</b>
    آمدند: { $came } از { $yes } نفر که گفتند «شرکت می‌کنم».
    روی نام هر کس که آمد بزنید؛ دوباره زدن آن را برمی‌دارد.
attendance-empty = کسی «شرکت می‌کنم» نزده بود.
attendance-came = ✅ { $name }
attendance-not-marked = ⬜ { $name }
attendance-btn-open = 🙋 حضور و غیاب
report-came = 🙋 آمدند: { $came } از { $yes } نفر که گفتند «شرکت می‌کنم»

## --- Supporters (حامی) ------------------------------------------------------------------------

ccard-supporters = 🤝 حامیان: { $count } نفر
ccard-btn-invite-supporter = 🤝 دعوت حامی
supporter-invite-intro =
    🤝 <b>دعوت حامی برای «{ $center }»</b>
    حامی کسی بیرون از کانون است که از آن پشتیبانی می‌کند: پویش‌های نیکوکارانه‌ی کانون و گزارش پایانی آن‌ها را می‌گیرد و می‌تواند کمک کند، ولی عضو کانون نیست.
    لینک زیر را برای یک نفر بفرستید؛ یک بار کار می‌کند و تا { $expires } معتبر است.
supporter-invitation =
    🤝 شما دعوت شده‌اید حامی «{ $center }» باشید.
    حامی عضو کانون نیست؛ پویش‌های نیکوکارانه‌ی کانون و گزارش پایانی آن‌ها را می‌گیرد و اگر بخواهد کمک می‌کند.
supporter-btn-accept = ✅ می‌پذیرم
supporter-btn-decline = ❌ نمی‌پذیرم
supporter-accepted = ✅ شما حامی «{ $center }» شدید. پویش‌های نیکوکارانه‌ی این کانون برای شما فرستاده می‌شود.
supporter-already = شما پیش‌تر حامی «{ $center }» شده‌اید.
supporter-declined = دعوت را نپذیرفتید. سپاس از پاسخ شما.
supporter-error-invalid = این لینک دعوت درست نیست. از راهبر کانون لینک تازه بخواهید.
supporter-error-expired = مهلت این لینک دعوت تمام شده است. از راهبر کانون لینک تازه بخواهید.
supporter-error-used = این لینک دعوت پیش‌تر به کار رفته است. از راهبر کانون لینک تازه بخواهید.
supporter-error-own_center = شما راهبر یا همیار همین کانون هستید و نمی‌توانید حامی آن شوید.
supporter-error-member = شما عضو همین کانون هستید و پویش‌هایش را می‌گیرید.
supporter-error-inactive = این کانون اکنون فعال نیست.
adm-fig-supporters = 🤝 حامیان: { $count }
charity-my-pledge = 🤝 قول شما: { $amount } برای «{ $need }» — { $status }
