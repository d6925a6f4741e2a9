## Amounts of money and quantities of goods and work (bot/persian/amounts.py, docs/amounts.md).
## Prefixes: amount- (money, always in toman), quantity- (goods and days of work).

amount-toman = { $amount } تومان
# Shown when the person typed rial: say what we understood in toman.
amount-rial-notice = { $rial } ریال یعنی { $toman } تومان.

## Why a typed amount was not accepted: amount-problem-{ AmountProblem }.
amount-problem-empty = لطفاً مبلغ را بنویسید، مثلاً «۵۰۰ هزار تومان».
amount-problem-not-a-number = این مبلغ را متوجه نشدم. لطفاً فقط مبلغ را بنویسید، مثلاً «۵۰۰ هزار» یا «۲ میلیون تومان».
amount-problem-ambiguous = این مبلغ را می‌شود دو جور خواند. لطفاً آن را کامل بنویسید، مثلاً «۱ و نیم میلیون» یا «۱۵۰۰۰۰۰».
amount-problem-too-small = این مبلغ خیلی کم است. اگر منظورتان هزار یا میلیون تومان است، آن را هم بنویسید، مثلاً «۵ هزار تومان».
amount-problem-too-large = این مبلغ از اندازه‌ی ممکن بیشتر است. لطفاً آن را دوباره بنویسید.
amount-problem-zero-or-negative = مبلغ باید بیشتر از صفر باشد.
amount-problem-fraction-of-toman = مبلغ باید تومان کامل و بدون اعشار باشد. اگر ریال نوشته‌اید، رقم آخر آن باید صفر باشد.

quantity-half = نیم
quantity-and-half = { $whole } و نیم

## Why a typed quantity was not accepted: quantity-problem-{ AmountProblem }.
quantity-problem-empty = لطفاً تعداد را بنویسید، مثلاً «۳ کیسه» یا «۲ روز».
quantity-problem-not-a-number = تعداد را متوجه نشدم. لطفاً اول عدد را بنویسید، مثلاً «۳ کیسه» یا «دو روز».
quantity-problem-ambiguous = این عدد را می‌شود دو جور خواند. لطفاً آن را با رقم و کامل بنویسید، مثلاً «۹ کیسه» یا «۱ و نیم روز».
quantity-problem-too-large = این تعداد از اندازه‌ی ممکن بیشتر است. لطفاً آن را دوباره بنویسید.
quantity-problem-zero-or-negative = تعداد باید بیشتر از صفر باشد.
quantity-problem-not-halves = تعداد باید عدد کامل یا با «نیم» باشد، مثلاً «۲» یا «۲ و نیم».
