## A center's interest-free loan fund (issue 16; bot/views/fund.py, docs/fund.md). Prefix: fund-.

# Said at opening and in every statement.
fund-no-money = ℹ️ ربات پولی نگه نمی‌دارد؛ پول نزد خود اعضا و صندوق‌دار است و ربات فقط آنچه را اعضا می‌گویند و تأییدکننده‌ها تأیید می‌کنند، ثبت می‌کند.

fund-btn-home = 💰 صندوق قرض‌الحسنه
fund-btn-open = ➕ راه‌اندازی صندوق
fund-btn-join-full = عضویت با یک سهم کامل
fund-btn-join-half = عضویت با نیم سهم
fund-btn-paid = ✅ واریز کردم
fund-btn-confirm = ✅ تأیید واریز
fund-btn-reject = ❌ واریز نشده
fund-btn-late = ⏰ عقب‌افتاده‌ها
fund-btn-pending = 📥 واریزهای منتظر تأیید
fund-btn-statement = 📄 صورت‌حساب من
fund-btn-figures = 📊 وضعیت صندوق
fund-btn-prev-step = 🔙 مرحله‌ی قبل
fund-btn-cancel = ❌ انصراف
fund-btn-yes = بله
fund-btn-no = خیر
fund-btn-more-types = ➕ نوع دیگری از وام
fund-btn-types-done = ادامه ◀️
fund-btn-first-come = به نوبت درخواست
fund-btn-draw = با قرعه‌کشی
fund-btn-confirmers-la = راهبر و همیار
fund-btn-confirmers-lt = راهبر و صندوق‌دار
fund-btn-confirmers-at = همیار و صندوق‌دار
fund-btn-open-now = ✅ راه‌اندازی صندوق
fund-btn-treasurer-accept = ✅ می‌پذیرم
fund-btn-treasurer-decline = ❌ نمی‌پذیرم

## The fund's page («💰 صندوق قرض‌الحسنه» under «کانون من»).
fund-none-leader = کانون «{ $center }» هنوز صندوق قرض‌الحسنه ندارد. با صندوق، اعضا هر ماه سهم خود را می‌گذارند و به نوبت وام بی‌بهره می‌گیرند.
fund-none-other = کانون «{ $center }» هنوز صندوق قرض‌الحسنه ندارد. راه‌اندازی آن با راهبر کانون است.
fund-no-center = برای صندوق قرض‌الحسنه باید عضو یک کانون باشید. از «کانون من» یا «عضویت در کانون» شروع کنید.
fund-center-not-active = صندوق بعد از فعال شدن کانون راه‌اندازی می‌شود.
fund-title = 💰 صندوق قرض‌الحسنه‌ی کانون «{ $center }»
fund-rules = سهم ماهانه: { $amount } (نیم سهم: { $half })، روز { $day } هر ماه.
fund-queue-first_come = نوبت وام: به ترتیب درخواست
fund-queue-draw = نوبت وام: با قرعه‌کشی
fund-loan-type-line = • { $name }: تا { $amount }، در { $count } قسط{ $guarantor ->
    [yes] ، با ضامن
   *[no] {""}
}
fund-members-count = اعضای صندوق: { $count } نفر
fund-your-share-full = شما با یک سهم کامل عضو صندوق هستید.
fund-your-share-half = شما با نیم سهم عضو صندوق هستید.
fund-join-prompt = می‌خواهید عضو صندوق شوید؟ با نیم سهم، نصف سهم ماهانه را می‌پردازید و تا نصف سقف وام می‌گیرید.
fund-your-due = سهم این ماه شما ({ $amount }) هنوز ثبت نشده است.
fund-your-due-waiting = واریز شما ({ $amount }) منتظر تأیید است.
fund-staff-line = موجودی ثبت‌شده: { $balance } · منتظر تأیید: { $pending } · عقب‌افتاده: { $late }
fund-treasurer-waiting = صندوق‌دار هنوز دعوت را نپذیرفته است؛ تا آن موقع فقط { $other } واریزها را تأیید می‌کند.

## Opening a fund (conversations/fund_open.py). Every step has «🔙 مرحله‌ی قبل» and «❌ انصراف».
fund-open-intro = راه‌اندازی صندوق قرض‌الحسنه‌ی کانون، در چند مرحله.
fund-ask-contribution = سهم ماهانه‌ی هر عضو چقدر باشد؟ (به تومان، مثلاً «۲۰۰ هزار تومان»)
fund-ask-day = سهم ماهانه چه روزی از ماه پرداخت شود؟ یک عدد از ۱ تا ۲۹ بنویسید (ماه شمسی).
fund-day-wrong = روز باید عددی از ۱ تا ۲۹ باشد، مثلاً «۵».
fund-ask-type-name = نام یک نوع وام را بنویسید، مثلاً «ازدواج»، «درمان»، «معیشت» یا «تحصیل».
fund-type-name-wrong = نام نوع وام باید بین ۲ تا ۳۲ حرف باشد.
fund-ask-type-max = بیشترین مبلغ وام «{ $name }» برای یک سهم کامل چقدر باشد؟ (به تومان)
fund-ask-type-count = وام «{ $name }» در چند قسط ماهانه برگردانده شود؟ یک عدد از ۱ تا ۱۲۰ بنویسید.
fund-type-count-wrong = تعداد قسط باید عددی از ۱ تا ۱۲۰ باشد، مثلاً «۱۰».
fund-ask-type-guarantor = وام «{ $name }» ضامن لازم دارد؟
fund-ask-more-types =
    { $types }

    نوع دیگری از وام هم دارید؟
fund-ask-queue = نوبت وام‌ها چطور تعیین شود؟
fund-ask-confirmers = چه کسانی واریزها را تأیید کنند؟ همیشه دو نفر، و هیچ‌کس واریز خودش را تأیید نمی‌کند. صندوق‌دار را بعداً با یک لینک دعوت می‌کنید.
fund-preview =
    پیش‌نمایش صندوق:

    { $summary }

    تأییدکننده‌ها: { $confirmers }
fund-opened = ✅ صندوق قرض‌الحسنه‌ی کانون راه‌اندازی شد. اعضا از «کانون من» ← «💰 صندوق قرض‌الحسنه» عضو آن می‌شوند.
fund-use-buttons = لطفاً یکی از دکمه‌های بالا را بزنید.
fund-no-earlier-step = این اولین مرحله است.
fund-role-leader = راهبر
fund-role-assistant = همیار
fund-role-treasurer = صندوق‌دار
fund-confirmers-pair = { $one } و { $two }

## The treasurer's invitation.
fund-treasurer-link =
    برای دعوت صندوق‌دار، این لینک را برای او بفرستید (تا ۷ روز و فقط یک بار کار می‌کند):
    { $links }
fund-treasurer-card = راهبر کانون «{ $center }» شما را به عنوان صندوق‌دار صندوق قرض‌الحسنه‌ی کانون دعوت کرده است. صندوق‌دار واریزهای اعضا را تأیید می‌کند؛ ربات پولی نگه نمی‌دارد.
fund-treasurer-accepted = ✅ شما صندوق‌دار صندوق قرض‌الحسنه‌ی کانون «{ $center }» شدید.
fund-treasurer-declined = دعوت را نپذیرفتید. به راهبر کانون خبر داده شد.
fund-treasurer-told-accepted = ✅ { $name } صندوق‌دار صندوق کانون شد.
fund-treasurer-told-declined = { $name } دعوت صندوق‌داری را نپذیرفت. از صفحه‌ی صندوق می‌توانید دوباره دعوت کنید.

## Joining.
fund-joined-full = ✅ با یک سهم کامل عضو صندوق شدید. هر ماه روز { $day } یادآوری می‌کنیم.
fund-joined-half = ✅ با نیم سهم عضو صندوق شدید. هر ماه روز { $day } یادآوری می‌کنیم.

## Contributions.
fund-due-reminder =
    🔔 امروز روز سهم ماهانه‌ی صندوق کانون «{ $center }» است: { $amount }.
    پس از پرداخت به صندوق‌دار یا حساب صندوق، «واریز کردم» را بزنید؛ اگر خواستید عکس رسید را هم بفرستید.
fund-due-late = ⏰ سهم ماه { $month } صندوق کانون «{ $center }» ({ $amount }) هنوز ثبت نشده است. اگر پرداخت کرده‌اید «واریز کردم» را بزنید.
fund-paid-recorded = ✅ ثبت شد. { $confirmer } واریز شما را تأیید می‌کند و به شما خبر می‌دهیم. اگر عکس رسید دارید، همین حالا بفرستید.
fund-paid-waiting = واریز شما قبلاً ثبت شده و منتظر تأیید است.
fund-receipt-saved = ✅ عکس رسید کنار واریز شما ثبت شد.
fund-claim-to-confirm =
    📥 { $name } می‌گوید سهم ماه { $month } صندوق را واریز کرده است: { $amount }.
    لطفاً پس از دیدن پول یا رسید تأیید کنید.
fund-claim-receipt = (عکس رسید فرستاده شده است.)
fund-claim-confirmed = ✅ واریز { $name } ({ $amount }) تأیید و در دفتر صندوق ثبت شد.
fund-claim-rejected = ❌ ثبت شد که واریز { $name } ({ $amount }) نرسیده است.
fund-claim-already = این واریز قبلاً بررسی شده است.
fund-thanks = 🙏 سپاس! واریز شما ({ $amount }) برای ماه { $month } تأیید شد.
fund-claim-not-seen = واریز شما ({ $amount }) برای ماه { $month } از سوی تأییدکننده تأیید نشد. اگر پرداخت کرده‌اید، با راهبر یا صندوق‌دار صحبت کنید و دوباره «واریز کردم» را بزنید.
fund-pending-none = واریزی منتظر تأیید نیست.
fund-pending-title = واریزهای منتظر تأیید:
fund-late-none = هیچ سهم عقب‌افتاده‌ای نیست.
fund-late-title = سهم‌های عقب‌افتاده (بیش از ۳ روز):
fund-late-line = • { $name }: ماه { $month }، { $amount }
fund-month = { $month } { $year }

## Statements and figures.
fund-statement-title = 📄 صورت‌حساب شما در صندوق کانون «{ $center }»
fund-statement-paid = سهم‌های پرداخت‌شده: { $count } ماه، جمعاً { $amount }
fund-statement-unpaid = سهم‌های پرداخت‌نشده: { $count } ماه، جمعاً { $amount }
fund-statement-corrections = اصلاحیه‌ها: { $amount }
fund-statement-no-loan = وامی ندارید.
fund-figures-title = 📊 وضعیت صندوق کانون «{ $center }»
fund-figures-balance = موجودی ثبت‌شده: { $balance }
fund-figures-month = سهم‌های این ماه: { $paid } از { $total } نفر، { $amount }
fund-figures-members = اعضا: { $count } نفر
fund-figures-late = سهم‌های عقب‌افتاده: { $count }

## Why a fund action was refused: fund-problem-{ code }.
fund-problem-not-leader = فقط راهبر کانون صندوق را راه‌اندازی می‌کند.
fund-problem-center-not-active = صندوق بعد از فعال شدن کانون راه‌اندازی می‌شود.
fund-problem-already-open = این کانون صندوق قرض‌الحسنه دارد.
fund-problem-contribution = سهم ماهانه باید بیشتر از صفر باشد.
fund-problem-due-day = روز پرداخت باید از ۱ تا ۲۹ باشد.
fund-problem-confirmers = دو تأییدکننده باید دو نفر متفاوت باشند.
fund-problem-loan-types = دست‌کم یک و حداکثر ۸ نوع وام تعریف کنید.
fund-problem-no-fund = این صندوق دیگر باز نیست.
fund-problem-not-member = فقط اعضای همین کانون عضو صندوق آن می‌شوند.
fund-problem-not-yours = این دکمه مال شما نیست.
fund-problem-already-paid = این سهم قبلاً پرداخت و تأیید شده است.
fund-problem-not-confirmer = شما تأییدکننده‌ی واریزهای این صندوق نیستید.
fund-problem-own-payment = هیچ‌کس واریز خودش را تأیید نمی‌کند؛ تأییدکننده‌ی دیگر آن را تأیید می‌کند.
fund-problem-no-entry = این ردیف در دفتر صندوق پیدا نشد.
fund-problem-correction-zero = مبلغ اصلاحیه نمی‌تواند صفر باشد.
fund-problem-not-staff = این بخش فقط برای راهبر، همیار و صندوق‌دار است.
fund-problem-invitation = این لینک دعوت دیگر معتبر نیست. از راهبر کانون لینک تازه بخواهید.
fund-problem-treasurer-self = راهبر یا همیار کانون نمی‌تواند صندوق‌دار هم باشد.
fund-names-separator = {"، "}
fund-problem-no-loan-type = این نوع وام در صندوق نیست.
fund-problem-arrears = تا سهم‌ها یا قسط‌های عقب‌افتاده‌ی شما پرداخت و تأیید نشده، درخواست وام تازه ثبت نمی‌شود.
fund-problem-open-loan = شما یک وام باز دارید؛ وام تازه بعد از تسویه‌ی آن درخواست می‌شود.
fund-problem-loan-amount = مبلغ از سقف این نوع وام برای سهم شما بیشتر است.
fund-problem-guarantor-needed = این نوع وام ضامن لازم دارد.
fund-problem-own-guarantor = هیچ‌کس ضامن وام خودش نمی‌شود؛ یکی از اعضای دیگر صندوق را انتخاب کنید.
fund-problem-guarantor-not-member = ضامن باید عضو همین صندوق باشد.
fund-problem-not-guarantor = شما ضامن این وام نیستید.
fund-problem-own-loan = هیچ‌کس وام خودش را تأیید نمی‌کند؛ دو نفر دیگر از کارگزاران کانون تأیید می‌کنند.
fund-problem-no-entrants = وامی در نوبت قرعه‌کشی نیست.
fund-problem-not-queued = این وام در نوبت پرداخت نیست.
fund-problem-own-record = پرداخت وام را کسی جز ثبت‌کننده‌ی آن تأیید می‌کند.

## Loans (views/fund_loans.py, conversations/fund_loan.py).
fund-btn-loan-request = 🤝 درخواست وام
fund-btn-loan-send = ✅ ارسال درخواست
fund-btn-guarantee = ✅ ضامن می‌شوم
fund-btn-not-guarantee = ❌ نمی‌توانم
fund-btn-approve = ✅ تأیید وام
fund-btn-refuse = ❌ رد وام
fund-btn-queue = 📋 نوبت وام‌ها
fund-btn-payout = 💸 پرداخت شد به { $name }
fund-btn-draw-announce = 🎲 اعلام قرعه‌کشی
fund-btn-draw-make = 🎲 انجام قرعه‌کشی
fund-loan-type-button = { $name } (تا { $amount })
fund-loan-ask-type = چه نوع وامی می‌خواهید؟
fund-loan-ask-amount = چه مبلغی برای وام «{ $name }» می‌خواهید؟ (تا { $amount })
fund-loan-ask-reason = در یک یا دو جمله بنویسید وام را برای چه می‌خواهید.
fund-loan-ask-guarantor = این وام ضامن لازم دارد. یکی از اعضای صندوق را انتخاب کنید؛ از او می‌پرسیم و باید بپذیرد.
fund-loan-no-guarantors = هنوز عضو دیگری در صندوق نیست که ضامن شود.
fund-loan-reason-wrong = لطفاً دلیل را بین ۳ تا ۳۰۰ حرف بنویسید.
fund-loan-over-max = مبلغ از سقف این وام ({ $amount }) بیشتر است.
fund-loan-preview =
    درخواست وام { $kind }: { $amount }
    دلیل: { $reason }
fund-loan-preview-guarantor = ضامن: { $name }
fund-loan-sent = ✅ درخواست وام شما فرستاده شد. پس از تأیید دو نفر از کارگزاران کانون، در نوبت قرار می‌گیرد.
fund-loan-sent-guarantor = ✅ درخواست شما ثبت شد. اول از { $name } می‌پرسیم که ضامن شما می‌شود یا نه.
fund-loan-guarantor-question = { $borrower } از صندوق کانون «{ $center }» وام { $kind } به مبلغ { $amount } در { $count } قسط درخواست کرده و شما را ضامن خود معرفی کرده است. اگر قسط‌ها پرداخت نشود، به شما هم خبر می‌دهیم. ضامن می‌شوید؟
fund-loan-guaranteed = ✅ ضمانت شما ثبت شد. سپاس.
fund-loan-not-guaranteed = پاسخ شما ثبت شد. به درخواست‌کننده خبر دادیم.
fund-loan-guarantor-declined = { $name } ضمانت وام شما را نپذیرفت. می‌توانید با ضامن دیگری دوباره درخواست کنید.
fund-loan-line = { $name }: { $kind }، { $amount }، { $count } قسط
fund-loan-approval =
    🤝 درخواست وام: { $line }
    دلیل: { $reason }
fund-loan-with-guarantor = ضامن: { $name } (پذیرفته است)
fund-loan-queued-staff = ✅ وام در نوبت قرار گرفت: { $line }
fund-loan-refused-staff = ❌ وام رد شد: { $line }
fund-loan-approved-once = ✅ تأیید شما ثبت شد؛ یک نفر دیگر هم باید تأیید کند: { $line }
fund-loan-not-waiting = این درخواست دیگر منتظر تأیید نیست.
fund-loan-queued = ✅ وام { $kind } شما ({ $amount }) تأیید شد و در نوبت پرداخت است. شماره‌ی درخواست شما: { $number }
fund-loan-refused = درخواست وام { $kind } شما تأیید نشد. برای توضیح با راهبر کانون صحبت کنید.
fund-queue-title = 📋 نوبت وام‌ها:
fund-queue-line = { $number }. (درخواست { $loan }) { $line }
fund-queue-empty = وامی در نوبت نیست.
fund-draw-announced =
    🎲 قرعه‌کشی اعلام شد. شماره‌ی درخواست‌های شرکت‌کننده: { $entrants }
    نشان رمز قرعه (پیش از قرعه‌کشی منتشر می‌شود): { $hash }
fund-draw-made =
    🎲 نتیجه‌ی قرعه‌کشی: { $order }
    رمز قرعه: { $seed }
    نشان رمز که پیش‌تر منتشر شد: { $hash }
    شرکت‌کننده‌ها: { $entrants }
    هر کس می‌تواند درستی آن را بسنجد: sha256 رمز همان نشان است، و ترتیب، مرتب‌شده‌ی شماره‌ها بر پایه‌ی sha256 «رمز:شماره» است.
fund-my-loan = وام { $kind } شما: { $amount } ({ $status })
fund-my-instalments = قسط‌های پرداخت‌شده: { $paid } · باقی‌مانده: { $left } ({ $left_amount })
fund-next-instalment = قسط بعدی: { $amount }، { $date }
fund-loan-status-guarantor = منتظر پاسخ ضامن
fund-loan-status-approval = منتظر تأیید
fund-loan-status-queued = در نوبت پرداخت
fund-loan-status-paid_out = پرداخت‌شده، در حال بازپرداخت
fund-loan-status-closed = تسویه‌شده
fund-loan-status-refused = رد شده
fund-inst-before = 🔔 دو روز دیگر ({ $date }) قسط { $number } از { $count } وام شما از صندوق کانون «{ $center }» است: { $amount }.
fund-inst-day = 🔔 امروز روز قسط { $number } از { $count } وام شما از صندوق کانون «{ $center }» است: { $amount }.
fund-inst-late = ⏰ قسط { $number } وام شما ({ $amount }، { $date }) هنوز ثبت نشده است. اگر پرداخت کرده‌اید «واریز کردم» را بزنید.
fund-inst-guarantor = ⏰ شما ضامن وام { $borrower } از صندوق کانون «{ $center }» هستید. قسط { $number } آن ({ $amount }، { $date }) ده روز است که پرداخت نشده است. لطفاً با ایشان صحبت کنید.
fund-inst-staff = ⏰ قسط { $number } وام { $borrower } ({ $amount }، { $date }) پانزده روز است که پرداخت نشده است.
fund-claim-instalment = 📥 { $name } می‌گوید قسط وام خود را واریز کرده است: { $amount }.
fund-claim-payout = 💸 ثبت شده که وام { $name } ({ $amount }) به او پرداخت شد. لطفاً اگر درست است تأیید کنید.
fund-thanks-instalment = 🙏 سپاس! قسط شما ({ $amount }) تأیید و ثبت شد.
fund-payout-recorded = ✅ ثبت شد. تأییدکننده‌ی دیگر پرداخت وام را تأیید می‌کند.
fund-payout-confirmed = ✅ پرداخت وام شما ({ $amount }) در دفتر صندوق ثبت شد. زمان قسط‌ها را یادآوری می‌کنیم.

## Reports and exports (views/fund_reports.py).
fund-btn-report = 📈 گزارش ۱۲ ماه و نمودار
fund-btn-export-csv = 📄 دفتر صندوق (CSV)
fund-btn-export-xlsx = 📊 دفتر صندوق (اکسل)
fund-figures-loans = وام‌های در حال بازپرداخت: { $count }، مانده‌ی قسط‌ها: { $amount }
fund-figures-overdue = قسط‌های عقب‌افتاده: { $count }
fund-report-title = 📈 صندوق کانون «{ $center }» در ۱۲ ماه اخیر (موجودی پایان ماه · وام پرداخت‌شده):
fund-report-line = { $month }: { $balance } · { $lent }
fund-chart-title = صندوق کانون «{ $center }»
fund-chart-subtitle = ۱۲ ماه اخیر، به تومان
fund-chart-balance = موجودی
fund-chart-lent = وام پرداخت‌شده
fund-chart-month = { $month } { $year }
fund-export-number = ردیف
fund-export-date = تاریخ
fund-export-kind = نوع
fund-export-person = نام
fund-export-in = ورودی (تومان)
fund-export-out = خروجی (تومان)
fund-export-confirmed-by = تأییدکننده
fund-export-corrects = اصلاحِ ردیف
fund-export-note = توضیح
fund-export-caption = دفتر صندوق: { $count } ردیف. ربات پولی نگه نمی‌دارد؛ این فهرست آن چیزی است که تأیید شده.
fund-entry-contribution = سهم ماهانه
fund-entry-instalment = قسط
fund-entry-payout = پرداخت وام
fund-entry-correction = اصلاحیه
fund-facilitator-title = 🧭 صندوق‌های کانون‌هایی که رهیار آن‌ها هستید (فقط ارقام):
