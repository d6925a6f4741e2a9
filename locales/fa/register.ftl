## Registering a center: the leader's conversation, the assistant's invitation, the center's card.

cmd-register = ثبت کانون تازه

## The leader's conversation (/register).
reg-intro =
    <b>ثبت کانون همیاری اجتماعی</b>
    شما راهبر کانون می‌شوید، یعنی گرداننده‌ی آن. چند پرسش کوتاه می‌پرسیم؛ با «🔙 مرحله‌ی قبل» به پرسش قبل برمی‌گردید و با «❌ انصراف» بیرون می‌روید.
    پس از ثبت، همیار کانون را دعوت می‌کنید (کسی که به شما کمک می‌کند و درخواست‌های عضویت را تأیید می‌کند). وقتی همیار بپذیرد، کد کانون (شناسه‌ی رسمی آن) صادر می‌شود.
reg-already-runs = شما الان راهبر یا همیار «{ $name }» هستید. هر نفر فقط می‌تواند یک کانون را راهبری یا همیاری کند.
reg-ask-name =
    نام کانون را بنویسید.
    مثلاً: کانون صاحب‌الزمان روستای قورچای
reg-name-digits = نام کانون نمی‌تواند فقط عدد باشد. لطفاً نامی با حروف بنویسید.
reg-name-letters = نام کانون دست‌کم دو حرف لازم دارد؛ شکلک یا نشانه به‌تنهایی نام نیست. لطفاً نامی با حروف بنویسید.
reg-ask-kind = اعضای این کانون در چه چیزی با هم مشترک‌اند؟ یکی را انتخاب کنید.
reg-kind-need-button = لطفاً نوع کانون را با یکی از دکمه‌های زیر انتخاب کنید.
reg-kind-chosen = نوع کانون: { $kind }
reg-ask-kind-label = در یک یا دو کلمه بنویسید اعضای کانون در چه چیزی مشترک‌اند. مثلاً: هم‌کلاسی
reg-ask-area =
    کانون بیشتر در کدام استان، شهر یا روستاست؟ مثلاً: بوشهر، روستای نظرآقا
    کانون به جای خاصی وابسته نیست؛ اگر نمی‌خواهید محلی بنویسید، «رد شدن» را بزنید.
reg-duplicate =
    کانون فعال دیگری با نام «{ $name }» در همین محل ({ $area }) ثبت شده است.
    اگر کانون شما کانون دیگری است، می‌توانید با همین نام ادامه دهید؛ ولی برای اینکه مردم دو کانون را با هم اشتباه نگیرند، بهتر است نام را کمی تغییر دهید.
reg-area-none = بدون محل
reg-btn-dup-keep = ادامه با همین نام
reg-btn-dup-rename = ✏️ تغییر نام
reg-ask-description =
    یک توضیح کوتاه درباره‌ی کانون بنویسید (حداکثر ۵۰۰ حرف): اعضا چه کسانی هستند و چه کارهایی می‌کنید.
    اگر نمی‌خواهید، «رد شدن» را بزنید.
reg-ask-full-name = نام و نام خانوادگی خود را، به عنوان راهبر کانون، بنویسید یا اگر نام زیر درست است آن را بزنید.
reg-ask-mobile =
    شماره موبایل خود را بفرستید.
    می‌توانید دکمه‌ی «ارسال شماره من» را بزنید یا شماره را بنویسید، مثل ۰۹۱۲۱۲۳۴۵۶۷.
reg-reuse =
    این مشخصات را قبلاً از شما گرفته‌ایم:
    نام: { $name }
    موبایل: { $mobile }
    از همین‌ها استفاده کنیم؟
reg-btn-reuse-yes = ✅ بله، همین‌ها
reg-btn-reuse-no = ✏️ نه، دوباره می‌نویسم
reg-answer-first = اول به این پرسش پاسخ دهید.
reg-use-buttons = لطفاً یکی از دکمه‌های پیام بالا را بزنید؛ برای خروج «❌ انصراف» را بزنید.
reg-review-intro = همه‌ی پاسخ‌ها را گرفتیم. لطفاً آن‌ها را بررسی کنید.
reg-review =
    <b>بررسی مشخصات کانون</b>
    نام کانون: { $name }
    نوع: { $kind }
    محل: { $area }
    توضیح: { $description }
    نام راهبر: { $full_name }
    موبایل راهبر: { $mobile }

    اگر همه درست است «تأیید» را بزنید.
reg-empty-value = —
reg-btn-confirm = ✅ تأیید
reg-btn-edit = ✏️ ویرایش
reg-edit-which = کدام مورد را می‌خواهید تغییر دهید؟
reg-field-name = نام کانون
reg-field-kind = نوع کانون
reg-field-area = محل
reg-field-description = توضیح
reg-field-full-name = نام راهبر
reg-field-mobile = موبایل راهبر
reg-confirmed = { $review }

    ✅ ثبت شد.
reg-done =
    «{ $name }» ثبت شد و منتظر همیار است. 🌱
    کد کانون وقتی صادر می‌شود که همیار دعوت شما را بپذیرد.
reg-already-registered = «{ $name }» پیش‌تر با همین مشخصات ثبت شده است؛ کانون دومی ساخته نشد.

## Center kinds (affinity).
reg-kind-family = هم‌خانواده
reg-kind-neighbourhood = هم‌محلی
reg-kind-tribe = هم‌طایفه
reg-kind-hometown = هم‌شهری
reg-kind-mosque = هم‌مسجدی
reg-kind-workplace = همکار
reg-kind-other = سایر

## Platforms, as links are labelled.
reg-platform-telegram = تلگرام
reg-platform-bale = بله
reg-link-line = { $platform }: { $url }

## The assistant invitation the leader forwards.
reg-invite-intro =
    <b>دعوت از همیار</b>
    پیام بعدی را برای کسی بفرستید که می‌خواهید همیار کانون باشد.
    این دعوت تا { $expires } اعتبار دارد و فقط یک بار به کار می‌آید.
    همیار هر کسی جز خود شما می‌تواند باشد؛ در بله یا تلگرام.
reg-invite-intro-replace =
    <b>دعوت از همیار تازه</b>
    پیام بعدی را برای همیار تازه بفرستید. تا وقتی او دعوت را نپذیرفته، { $assistant } همیار کانون می‌ماند؛ پس از پذیرش، به او خبر می‌دهیم.
    این دعوت تا { $expires } اعتبار دارد و فقط یک بار به کار می‌آید. دعوت‌های قبلی دیگر کار نمی‌کنند.
reg-invite-forward =
    سلام 🌱
    { $leader } از شما دعوت کرده است که <b>همیار</b> «{ $center }» باشید؛ یک کانون همیاری اجتماعی.
    همیار به راهبر کمک می‌کند و درخواست‌های عضویت را تأیید می‌کند.
    برای دیدن دعوت و پذیرفتن یا رد آن، یکی از لینک‌های زیر را باز کنید:
    { $links }
    این دعوت تا { $expires } اعتبار دارد.

## The invited person's side.
reg-invitation-card =
    <b>دعوت به همیاری کانون</b>
    { $leader } از شما دعوت کرده است که همیار این کانون باشید:

    نام کانون: { $name }
    نوع: { $kind }
    محل: { $area }
    راهبر: { $leader }

    همیار به راهبر کمک می‌کند و درخواست‌های عضویت را تأیید یا رد می‌کند.
    آیا می‌پذیرید؟
reg-invitation-card-replace =
    <b>دعوت به همیاری کانون</b>
    { $leader } از شما دعوت کرده است که همیار تازه‌ی این کانون باشید:

    نام کانون: { $name }
    کد کانون: { $code }
    نوع: { $kind }
    محل: { $area }
    راهبر: { $leader }

    همیار به راهبر کمک می‌کند و درخواست‌های عضویت را تأیید یا رد می‌کند.
    آیا می‌پذیرید؟
reg-btn-accept = ✅ قبول
reg-btn-decline = ❌ رد
reg-invitation-accepting = { $card }

    شما دعوت را پذیرفتید. برای پایان کار، نام و شماره‌ی خود را بفرستید.
reg-invitation-declined = { $card }

    ❌ شما این دعوت را رد کردید. از پاسخ شما ممنونیم.
reg-ask-assistant-name = نام و نام خانوادگی خود را، به عنوان همیار کانون، بنویسید یا اگر نام زیر درست است آن را بزنید.
reg-accepted-assistant =
    ✅ شما همیار «{ $name }» شدید.
    کد کانون (شناسه‌ی رسمی): <b>{ $code }</b>
    درخواست‌های عضویت برای شما فرستاده می‌شود. برای دیدن کانون «کانون من» را بزنید.
reg-accepted-already =
    ✅ شما پیش‌تر این دعوت را پذیرفته‌اید و همیار «{ $name }» هستید.
    کد کانون (شناسه‌ی رسمی): <b>{ $code }</b>
reg-activated-leader =
    🎉 { $assistant } دعوت شما را پذیرفت و همیار «{ $name }» شد.
    کانون شما فعال شد. کد کانون (شناسه‌ی رسمی): <b>{ $code }</b>
    پیام بعدی لینک عضویت در کانون است؛ آن را برای اعضا بفرستید.
reg-replaced-leader = ✅ { $assistant } دعوت شما را پذیرفت و همیار تازه‌ی «{ $name }» شد.
reg-replaced-old = از همراهی شما سپاسگزاریم. راهبر «{ $name }» همیار تازه‌ای برگزیده است ({ $assistant })؛ شما دیگر همیار این کانون نیستید.
reg-declined-leader =
    { $person } دعوت شما برای همیاری «{ $name }» را رد کرد.
    می‌توانید از کس دیگری دعوت کنید.
reg-btn-new-invitation = 📨 دعوت تازه از همیار

## Member invitation (sent to the leader when the center becomes active, and on request).
reg-member-invite =
    سلام 🌱
    شما را به عضویت در «{ $name }» دعوت می‌کنیم؛ یک کانون همیاری اجتماعی.
    کد کانون: { $code }
    برای درخواست عضویت یکی از لینک‌های زیر را باز کنید:
    { $links }

## Why an invitation (or another action) cannot be used.
reg-problem-not_found = این لینک دعوت معتبر نیست. لطفاً از راهبر کانون بخواهید دعوت تازه‌ای برایتان بفرستد.
reg-problem-used = این دعوت قبلاً پذیرفته شده است و دوباره به کار نمی‌آید. اگر فکر می‌کنید اشتباهی شده، با راهبر کانون تماس بگیرید.
reg-problem-declined = این دعوت قبلاً رد شده است. اگر نظرتان عوض شده، از راهبر کانون بخواهید دعوت تازه‌ای بفرستد.
reg-problem-cancelled = راهبر کانون این دعوت را لغو کرده یا دعوت تازه‌تری فرستاده است. لطفاً از او لینک تازه بخواهید.
reg-problem-expired = اعتبار این دعوت (هفت روز) تمام شده است. لطفاً از راهبر کانون بخواهید دعوت تازه‌ای بفرستد.
reg-problem-self = شما راهبر همین کانون هستید و نمی‌توانید همیار خودتان باشید. این لینک را برای کسی بفرستید که می‌خواهید همیارتان باشد.
reg-problem-same_mobile = این شماره‌ی موبایل راهبر همین کانون است؛ راهبر نمی‌تواند همیار خودش باشد. اگر شما کس دیگری هستید، شماره‌ی خودتان را بفرستید.
reg-problem-already_assistant = شما همین الان همیار این کانون هستید.
reg-problem-busy = شما راهبر یا همیار کانون دیگری هستید. هر نفر فقط می‌تواند یک کانون را راهبری یا همیاری کند. اگر ثبت کانون خودتان هنوز نیمه‌تمام است، می‌توانید از «کانون من» آن را لغو کنید.
reg-problem-center_gone = این کانون دیگر فعال نیست یا ثبت آن لغو شده است.
reg-problem-runs_center = شما الان راهبر یا همیار یک کانون هستید و نمی‌توانید کانون دیگری ثبت کنید.
reg-problem-not_leader = این کار فقط از راهبر کانون برمی‌آید.
reg-problem-not_allowed = این کار در وضعیت فعلی کانون ممکن نیست.
reg-problem-no_center = شما راهبر یا همیار کانونی نیستید.
reg-problem-has_assistant = کانون شما همیار دارد؛ برای تعویض همیار از «کانون من» استفاده کنید.
reg-problem-not_active_yet = لینک عضویت پس از فعال شدن کانون (پذیرش همیار) ساخته می‌شود.

## The center's card (/mycenter) for its leader and assistant.
ccard-title = 🏠 <b>{ $name }</b>
ccard-code = کد کانون: <b>{ $code }</b>
ccard-code-pending = کد کانون: پس از پذیرش همیار صادر می‌شود
ccard-status-awaiting_assistant = وضعیت: منتظر همیار
ccard-status-active = وضعیت: فعال
ccard-status-suspended = وضعیت: معلق
ccard-status-cancelled = وضعیت: لغوشده
ccard-kind = نوع: { $kind }
ccard-area = محل: { $area }
ccard-description = توضیح: { $description }
ccard-leader = راهبر: { $name }
ccard-assistant = همیار: { $name }
ccard-assistant-none = همیار: هنوز معرفی نشده
ccard-invitation-open = دعوت از همیار: فرستاده شده، معتبر تا { $expires }
ccard-invitation-expired = دعوت از همیار: اعتبارش تمام شده؛ دعوت تازه بفرستید
ccard-facilitator = رهیار: { $name }
ccard-members = اعضا: { $count } نفر
ccard-pending = درخواست‌های در انتظار: { $count }
ccard-btn-members = 👥 اعضا
ccard-btn-requests = 📥 درخواست‌ها
ccard-btn-new-campaign = 📣 پویش تازه
ccard-btn-campaigns = 📋 پویش‌ها
ccard-btn-announce = 📢 اعلان به اعضا
ccard-btn-link = 🔗 لینک عضویت
ccard-btn-edit = ✏️ ویرایش کانون
ccard-btn-replace = 🔄 تعویض همیار
ccard-btn-invite = 📨 دعوت از همیار
ccard-btn-resend = 📨 فرستادن دوباره‌ی دعوت
ccard-btn-cancel-invitation = ✖️ لغو دعوت
ccard-btn-drop = 🗑 لغو ثبت کانون
ccard-btn-refresh = 🔄 به‌روزرسانی
ccard-invitation-cancelled = دعوت لغو شد؛ لینک آن دیگر کار نمی‌کند.
ccard-no-invitation = دعوت بازی برای لغو یا فرستادن دوباره نیست.
ccard-drop-confirm =
    آیا مطمئن هستید که می‌خواهید ثبت «{ $name }» را لغو کنید؟
    دعوت همیار هم باطل می‌شود. بعداً می‌توانید دوباره کانون ثبت کنید.
ccard-btn-drop-yes = 🗑 بله، لغو شود
ccard-dropped = ثبت «{ $name }» لغو شد. هر وقت خواستید می‌توانید دوباره «ثبت کانون» را بزنید.

## Editing the center's details from its card.
cedit-which = کدام را می‌خواهید تغییر دهید؟
cedit-btn-name = نام کانون
cedit-btn-area = محل
cedit-btn-description = توضیح
cedit-ask-name = نام تازه‌ی کانون را بنویسید. نام فعلی: { $current }
cedit-ask-area = محل تازه‌ی کانون را بنویسید، یا برای حذف محل «پاک کردن» را بزنید. محل فعلی: { $current }
cedit-ask-description = توضیح تازه را بنویسید (حداکثر ۵۰۰ حرف)، یا برای حذف آن «پاک کردن» را بزنید.
cedit-btn-clear = 🧹 پاک کردن
cedit-saved = ✅ تغییر ذخیره شد.
