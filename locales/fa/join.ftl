## Joining a center: finding it, the request, the assistant's decision, members.
## Prefixes: join- (finding and asking), rq- (requests and decisions), ml- (members).

## Center kinds and where a request came from.
join-source-link = لینک دعوت کانون
join-source-code = کد کانون
join-source-search = جستجوی نام کانون
join-role-leader = راهبر
join-role-assistant = همیار

## Finding a center.
join-ask =
    کانون خود را چطور پیدا کنیم؟
    <b>کد کانون</b> (عدد ۷ یا ۸ رقمی که راهبر یا همیار کانون به شما می‌دهد) یا <b>نام کانون</b> را بفرستید، مثلاً: صاحب الزمان
    اگر لینک دعوت کانون را دارید، کافی است آن را بزنید.
join-code-mistyped =
    کد { $code } درست به نظر نمی‌رسد؛ احتمالاً یک رقم آن اشتباه نوشته شده است.
    کد کانون ۷ یا ۸ رقم دارد. لطفاً آن را دوباره با دقت بنویسید، یا نام کانون را بفرستید.
join-code-unknown =
    کانونی با کد { $code } پیدا نشد.
    لطفاً کد را از راهبر یا همیار کانون بپرسید، یا نام کانون را بفرستید.
join-search-short = لطفاً دست‌کم دو حرف از نام کانون را بنویسید، یا کد ۷ یا ۸ رقمی کانون را بفرستید.
join-search-none =
    کانونی با نام «{ $query }» پیدا نشد.
    می‌توانید نام را کوتاه‌تر یا به شکل دیگری بنویسید، کد ۷ یا ۸ رقمی کانون را بفرستید، یا لینک دعوت کانون را از راهبر یا همیار آن بگیرید و بزنید.
join-search-results =
    کانون‌های پیداشده با نام «{ $query }» (صفحه‌ی { $page }):
    { $list }

    کانون خود را از دکمه‌های زیر انتخاب کنید، یا نام یا کد دیگری بفرستید.
# No name contains what was typed; these are the closest, a letter or two apart.
join-search-guess =
    کانونی دقیقاً با نام «{ $query }» پیدا نشد. آیا منظورتان «{ $guess }» بود؟
    { $list }

    اگر کانون شما در این فهرست است، آن را از دکمه‌های زیر انتخاب کنید؛ وگرنه نام را به شکل دیگری بنویسید یا کد ۷ یا ۸ رقمی کانون را بفرستید.
join-search-near =
    نام‌های نزدیک به «{ $query }» (صفحه‌ی { $page }):
    { $list }

    کانون خود را از دکمه‌های زیر انتخاب کنید، یا نام یا کد دیگری بفرستید.
join-search-line = { $n }. { $name } — { $kind }، { $area }
join-search-line-noarea = { $n }. { $name } — { $kind }
join-result-button = { $n }. { $name }
join-link-invalid = این لینک کانون درست نیست یا دیگر کار نمی‌کند. لطفاً کد ۷ یا ۸ رقمی یا نام کانون را بفرستید.
join-not-found = این کانون پیدا نشد یا دیگر فعال نیست. لطفاً کد یا نام کانون را بفرستید.
join-results-gone = جستجوی قبلی دیگر در دسترس نیست. لطفاً نام یا کد کانون را دوباره بفرستید.

## The center's card.
join-card-title = 🏠 <b>{ $name }</b>
join-card-kind = نوع کانون: { $kind }
join-card-area = محدوده: { $area }
join-card-code = کد کانون: { $code }
join-card-leader = راهبر: { $name }
join-card-assistant = همیار: { $name }
join-card-members = تعداد اعضا: { $count } نفر
join-card-prompt = اگر این کانون شماست، «ارسال درخواست عضویت» را بزنید.
join-card-awaiting = ⏳ این کانون هنوز ثبت نهایی نشده است، چون همیار آن هنوز دعوت را نپذیرفته. پس از آن می‌توانید درخواست عضویت بدهید.
join-card-suspended = ⛔ فعالیت این کانون فعلاً متوقف شده است و عضو تازه نمی‌پذیرد.
join-btn-send = 📨 ارسال درخواست عضویت
join-btn-back-results = بازگشت به نتایج

## The applicant's name and mobile, asked once.
join-ask-name =
    همیار کانون برای بررسی درخواست، نام شما را می‌بیند.
    نام و نام خانوادگی خود را بنویسید، یا اگر نام زیر درست است آن را بزنید.
join-ask-mobile =
    همیار کانون برای بررسی درخواست، شماره موبایل شما را هم می‌بیند.
    می‌توانید دکمه‌ی «ارسال شماره من» را بزنید یا شماره را بنویسید، مثل ۰۹۱۲۱۲۳۴۵۶۷.

## What happened to the request.
join-sent =
    ✅ درخواست عضویت شما در «{ $center }» ثبت شد و برای همیار کانون فرستاده شد.
    پس از بررسی همیار، نتیجه را همین‌جا به شما خبر می‌دهیم.
join-already-pending = درخواست عضویت شما در «{ $center }» از { $date } ثبت شده و منتظر بررسی همیار است. درخواست دوباره لازم نیست.
join-already-member = شما همین حالا عضو «{ $center }» هستید.
join-pending-elsewhere =
    شما یک درخواست عضویت در «{ $other }» دارید که منتظر بررسی است. هر کس فقط عضو یک کانون می‌شود.
    اگر می‌خواهید به «{ $center }» بپیوندید، اول آن درخواست را پس بگیرید.
join-member-elsewhere =
    شما عضو «{ $other }» هستید. هر کس فقط عضو یک کانون می‌شود.
    اگر می‌خواهید به «{ $center }» بپیوندید، اول از «{ $other }» خارج شوید.
join-runs-this = شما { $role } همین کانون هستید و جزو آن به شمار می‌آیید؛ درخواست عضویت لازم نیست.
join-runs-other = شما { $role } «{ $other }» هستید. راهبر و همیار هر کانون جزو همان کانون‌اند و عضو کانون دیگری نمی‌شوند.
join-too-soon = همیار «{ $center }» درخواست قبلی شما را نپذیرفت. می‌توانید از { $retry } دوباره درخواست بدهید، یا به کانون دیگری بپیوندید.

## /join when the person already has a center.
join-start-member =
    شما عضو «{ $center }» هستید. هر کس فقط عضو یک کانون می‌شود.
    اگر می‌خواهید به کانون دیگری بپیوندید، اول از این کانون خارج شوید.
join-start-pending = درخواست عضویت شما در «{ $center }» از { $date } منتظر بررسی همیار است. اگر می‌خواهید به کانون دیگری بپیوندید، اول این درخواست را پس بگیرید.
join-start-runs = شما { $role } «{ $center }» هستید. راهبر و همیار هر کانون جزو همان کانون‌اند و عضو کانون دیگری نمی‌شوند.

## The request as the assistant sees it.
rq-request =
    📥 <b>درخواست عضویت</b> در «{ $center }»
    نام: { $name }
    موبایل: { $mobile }
    آشنایی از راه: { $source }
    زمان درخواست: { $time }
rq-btn-approve = ✅ تأیید
rq-btn-reject = ❌ رد
rq-decided-approved = ✅ تأیید شد؛ { $by }، { $time }
rq-decided-rejected = ❌ رد شد؛ { $by }، { $time }
rq-decided-reason = دلیل: { $reason }
rq-decided-no-reason = بدون ذکر دلیل
rq-decided-withdrawn = ↩️ متقاضی این درخواست را پس گرفت.
rq-decided-left = این عضو بعداً از کانون خارج شد یا حذف شد.
rq-member-unreachable = ⚠️ پیام به متقاضی نرسید؛ احتمالاً ربات را بسته است. تصمیم شما ثبت شده است.

## Rejecting: the reason.
rq-ask-reason = دلیل رد این درخواست را انتخاب کنید. متقاضی دلیل را می‌بیند.
rq-reason-unknown = این فرد را نمی‌شناسیم
rq-reason-notours = از اعضای این جمع نیست
rq-reason-info = نام یا شماره درست نیست
rq-btn-reason-other = ✏️ دلیل دیگر
rq-btn-reason-none = رد بدون دلیل
rq-btn-back = بازگشت
rq-ask-note = دلیل رد را کوتاه بنویسید (حداکثر ۲۰۰ حرف). متقاضی همین متن را می‌بیند.
rq-note-saved = درخواست رد شد و دلیل آن برای متقاضی فرستاده شد.

## Short answers to a tap (at most 200 characters).
rq-answer-approved = ✅ تأیید شد.
rq-answer-rejected = ❌ رد شد.
rq-answer-already = این درخواست قبلاً بررسی شده است و تغییری نکرد.
rq-answer-withdrawn = متقاضی این درخواست را پس گرفته است.
rq-answer-not-assistant = فقط همیار فعلی این کانون می‌تواند این درخواست را بررسی کند.
rq-answer-leader = بررسی درخواست‌های عضویت با همیار کانون است، نه راهبر.
rq-answer-inactive = این کانون فعلاً فعال نیست؛ درخواست‌ها پس از فعال شدن آن بررسی می‌شوند.
rq-answer-not-found = این درخواست پیدا نشد.

## What the applicant hears.
rq-welcome =
    🎉 خوش آمدید! درخواست عضویت شما در «{ $center }» تأیید شد و اکنون عضو این کانون هستید.
    از این پس:
    • فراخوان پویش‌ها و اعلان‌های راهبر کانون برای شما فرستاده می‌شود و می‌توانید در آن‌ها شرکت کنید؛
    • با دکمه‌ی «کانون من» مشخصات کانون، راهبر و همیار آن را می‌بینید؛
    • با دکمه‌ی «پویش‌ها» پویش‌های کانون را می‌بینید.
rq-rejected-member =
    همیار «{ $center }» درخواست عضویت شما را نپذیرفت.
    می‌توانید از { $retry } دوباره درخواست بدهید، یا به کانون دیگری بپیوندید.
rq-rejected-member-reason =
    همیار «{ $center }» درخواست عضویت شما را نپذیرفت.
    دلیل: { $reason }
    می‌توانید از { $retry } دوباره درخواست بدهید، یا به کانون دیگری بپیوندید.

## /requests and the card's «درخواست‌ها».
rq-none = هیچ درخواست عضویتی منتظر بررسی نیست.
rq-list-header = { $count } درخواست عضویت منتظر بررسی شماست:
rq-list-more = { $rest } درخواست دیگر پس از بررسی این‌ها نشان داده می‌شود.
rq-list-summary = { $count } درخواست منتظر بررسی است. می‌توانید هر کدام را جدا بررسی کنید یا همه را با هم تأیید کنید.
rq-btn-approve-all = ✅ تأیید همه ({ $count })
rq-confirm-all = آیا همه‌ی { $count } درخواست را تأیید می‌کنید؟ همه‌ی این افراد عضو کانون می‌شوند و به هر کدام خبر داده می‌شود.
rq-btn-confirm-all = بله، همه را تأیید کن
rq-btn-cancel-all = خیر، بازگشت
rq-all-done = ✅ { $count } درخواست تأیید شد و به هر کدام خبر داده شد.
rq-all-cancelled = چیزی تغییر نکرد. هر درخواست را می‌توانید جدا بررسی کنید.
rq-all-nothing = درخواستی برای تأیید نمانده است؛ احتمالاً پیش‌تر بررسی شده‌اند.
rq-leader-header = { $count } درخواست عضویت منتظر بررسی همیار کانون ({ $assistant }) است:
rq-leader-line = { $n }. { $name } — { $mobile } — { $date }
rq-leader-footer = تأیید یا رد درخواست‌ها با همیار است.
rq-not-staff = این بخش برای راهبر و همیار کانون است و شما راهبر یا همیار کانونی نیستید.

## Reminders of requests left waiting.
rq-remind-assistant = ⏰ { $count } درخواست عضویت در «{ $center }» بیش از دو روز است منتظر بررسی شماست. لطفاً آن‌ها را بررسی کنید.
rq-btn-show = 📥 دیدن درخواست‌ها
rq-alert-leader =
    ⚠️ { $count } درخواست عضویت در «{ $center }» بیش از یک هفته است منتظر بررسی همیار ({ $assistant }) مانده است.
    شاید همیار در دسترس نباشد؛ لطفاً با او تماس بگیرید.
rq-assistant-unreachable =
    ⚠️ { $name } درخواست عضویت در «{ $center }» داده است، اما پیام به همیار ({ $assistant }) نرسید؛ احتمالاً ربات را بسته است.
    لطفاً به همیار خبر دهید.

## Members: the list, removal, the file.
ml-title = 👥 <b>اعضای «{ $center }»</b>: { $total } نفر (صفحه‌ی { $page } از { $pages })
ml-line = { $n }. { $name } — { $mobile } — { $platform } — عضو از { $date }
ml-empty = «{ $center }» هنوز عضوی ندارد. اعضای تازه پس از تأیید همیار اینجا دیده می‌شوند.
ml-platform-telegram = تلگرام
ml-platform-bale = پیام‌رسان بله
ml-btn-remove = ❌ حذف { $name }
ml-btn-export = 📄 دریافت فایل اعضا
ml-btn-export-xlsx = 📊 فایل اکسل اعضا
ml-xlsx-mobile-latin = موبایل (برای پنل پیامک)
ml-xlsx-sheet = اعضا
ml-confirm-remove = آیا { $name } را از «{ $center }» حذف می‌کنید؟ به او خبر داده می‌شود.
ml-btn-confirm-remove = بله، حذف شود
ml-removed-note = { $name } از کانون حذف شد.
ml-removed-member =
    شما دیگر عضو «{ $center }» نیستید؛ { $role } کانون شما را از فهرست اعضا حذف کرد.
    اگر فکر می‌کنید اشتباهی شده است، با راهبر کانون صحبت کنید. می‌توانید به کانون دیگری هم بپیوندید.
ml-export-caption = فهرست اعضای «{ $center }»: { $count } نفر، { $date }
ml-export-busy = فایل اعضا در حال آماده شدن است؛ چند لحظه صبر کنید.
ml-csv-name = نام و نام خانوادگی
ml-csv-mobile = موبایل
ml-csv-platform = پیام‌رسان
ml-csv-joined = تاریخ عضویت
ml-not-staff = فهرست اعضا را فقط راهبر و همیار کانون می‌بینند.
ml-answer-gone = این عضو دیگر در فهرست اعضا نیست.
ml-answer-not-allowed = فقط راهبر و همیار همین کانون می‌توانند عضو را حذف کنند.

## A member's own card, leaving, withdrawing a request.
ml-card-since = شما از { $date } عضو این کانون هستید.
ml-card-suspended = ⛔ فعالیت این کانون فعلاً متوقف شده است.
ml-card-cancelled = این کانون دیگر فعال نیست.
ml-card-pending = ⏳ درخواست عضویت شما در «{ $center }» از { $date } منتظر بررسی همیار کانون است.
ml-btn-leave = 🚪 خروج از کانون
ml-btn-withdraw = ↩️ پس گرفتن درخواست
ml-confirm-leave = آیا می‌خواهید از «{ $center }» خارج شوید؟ پس از خروج، پویش‌های این کانون برای شما فرستاده نمی‌شود.
ml-btn-confirm-leave = بله، خارج می‌شوم
ml-confirm-withdraw = آیا درخواست عضویت خود در «{ $center }» را پس می‌گیرید؟
ml-btn-confirm-withdraw = بله، پس می‌گیرم
ml-btn-keep = خیر
ml-kept = چیزی تغییر نکرد.
ml-left = شما از «{ $center }» خارج شدید. هر وقت خواستید، با «عضویت در کانون» به کانونی بپیوندید.
ml-left-notice = { $name } از «{ $center }» خارج شد.
ml-withdrawn = درخواست عضویت شما در «{ $center }» پس گرفته شد. اکنون می‌توانید به کانون دیگری درخواست بدهید.
ml-answer-changed = این دکمه دیگر معتبر نیست؛ وضعیت عضویت شما تغییر کرده است.
