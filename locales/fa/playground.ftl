## The playground (python main.py playground): the web page's own words, and its people.
## Plain text (the page escapes it); the bot's own messages come from the other files.

pg-title = زمین تمرین ربات کانون
pg-subtitle = ربات واقعی، روی همین رایانه؛ هیچ پیامی به بله یا تلگرام واقعی نمی‌رود.
pg-reset = 🔄 شروع از نو
pg-reset-confirm = همه‌ی کانون‌ها و گفت‌وگوها پاک شوند و از نو شروع کنیم؟
pg-clock-hour = ⏩ یک ساعت جلو
pg-clock-day = ⏩ یک روز جلو
pg-clock-now = ساعت ربات: { $time }
pg-scenario = 📜 سناریو
pg-scenario-pick = یک سناریو را انتخاب کنید. زمین تمرین از نو شروع می‌شود.
pg-scenario-next = ▶️ مرحله‌ی بعد
pg-scenario-all = ⏭ همه‌ی مراحل
pg-scenario-close = بستن
pg-scenario-step = مرحله‌ی { $number } از { $total }
pg-scenario-done = ✅ سناریو تمام شد.
pg-scenario-failed = ❗ این مرحله پیش نرفت: { $problem }
pg-add-person = ➕ آدم تازه
pg-add-name = نام و نام خانوادگی
pg-add-platform = پیام‌رسان
pg-add-role = نقش
pg-add-ok = افزودن
pg-rename = ✏️ نام
pg-rename-prompt = نام تازه‌ی این آدم:
pg-cancel = انصراف
pg-ok = باشه
pg-type-here = پیام بنویسید…
pg-send = ارسال
pg-keyboard = ⌨️ دکمه‌ها
pg-forward = ↪️ هدایت
pg-forward-title = هدایت پیام
pg-forward-to = این پیام را برای چه کسی هدایت می‌کنید؟
pg-forwarded-from = هدایت‌شده از { $name }
pg-contact = 📱 شماره‌ی { $name }: { $phone }
pg-photo = 🖼 عکس
pg-edited = ویرایش‌شده
pg-deleted = 🗑 این پیام پاک شد
pg-api-error = ❗ پیام‌رسان این درخواست ربات را نپذیرفت ({ $method }): { $error }
pg-open-file = باز کردن
pg-download = ⬇️ دریافت
pg-offline = اتصال با زمین تمرین قطع شد؛ دوباره وصل می‌شود…
pg-busy = صبر کنید…
pg-empty-chat = هنوز پیامی نیست. برای گفت‌وگو با ربات «شروع» را بزنید.
pg-start = شروع

pg-platform-telegram = تلگرام
pg-platform-bale = بله

pg-role-leader = راهبر
pg-role-assistant = همیار
pg-role-member = عضو
pg-role-facilitator = رهیار
pg-role-admin = انجمن حامیان
pg-role-guest = مهمان

## The people a fresh playground starts with (first word: first name; the rest: last name).
pg-person-leader = حسن جمالی
pg-person-assistant = زهرا قادری
pg-person-member1 = مریم احمدی
pg-person-member2 = علی رضایی
pg-person-member3 = فاطمه کریمی
pg-person-facilitator = رضا محمدی
pg-person-admin = سارا نوری

## The scenario "the life of a center" (bot/playground/scripts/center-life.json).
pg-scn-life = زندگی یک کانون در پنج دقیقه
pg-scn-life-register = راهبر، روی بله، کانون را ثبت می‌کند و همیار خود را معرفی می‌کند.
pg-scn-life-accept = همیار، روی تلگرام، لینک دعوت را باز می‌کند و همیاری را می‌پذیرد. کانون فعال می‌شود.
pg-scn-life-join = سه نفر با لینک کانون درخواست عضویت می‌فرستند.
pg-scn-life-decide = همیار دو درخواست را تأیید می‌کند و یکی را با ذکر دلیل رد می‌کند.
pg-scn-life-campaign = راهبر یک پویش می‌سازد و برای اعضا می‌فرستد.
pg-scn-life-answers = اعضا جواب می‌دهند: یکی شرکت می‌کند، دیگری نمی‌تواند.
pg-scn-life-reminder = ساعت ربات جلو می‌رود تا یادآوری پویش برسد.
