//+------------------------------------------------------------------+
//| TradeFlowBridge.mq4 - the MetaTrader 4 edition of the TradeFlow  |
//| bridge EA (EA protocol 2, same as the MQL5 edition): poll, claim |
//| each command id atomically and execute it at most once, ack      |
//| exactly what happened, push state, heartbeat only while the      |
//| terminal can trade. Only the trading calls differ (OrderSend,    |
//| OrderClose, OrderModify, OrderDelete). Guarantees: ea/README.md. |
//|                                                                  |
//| Not compiled or run in this repository (no terminal on the build |
//| machines): every trade call below was read against the MQL4      |
//| reference page cited next to it.                                 |
//+------------------------------------------------------------------+
#property copyright "TradeFlow"
#property version   "2.00"
#property strict

#define TF_PROTOCOL        2
#define LOCK_STALE_SECONDS 30
#define ST_NEW     1.0
#define ST_SENDING 2.0
#define ST_DONE    3.0
#define R_FILLED   1.0
#define R_PLACED   2.0
#define R_REFUSED  3.0
#define R_EXPIRED  4.0
#define R_UNKNOWN  5.0

input string RouterUrl      = "https://your-tradeflow-host"; // allow it in Tools > Options > Expert Advisors
input string LicenseToken   = "";                            // the account's mtx license token
input int    PollSeconds    = 1;
input int    LongPollMillis = 0;
input int    StateSeconds   = 10;
input int    SlippagePoints = 20;
input int    MagicNumber    = 20261123;
input int    TradeRetries   = 3;                             // requotes, busy server, busy trade context

struct Outcome
  {
   string            result;    // filled | placed | refused | expired | unknown
   int               ticket;
   double            volume;
   double            notional;
   int               code;
   string            error;
  };

string   g_instance     = "";
double   g_lockToken    = 0;
bool     g_locked       = false;
bool     g_idleNotice   = false;
bool     g_outdated     = false;
uint     g_lastState    = 0;
bool     g_lastCanTrade = true;
long     g_serverTime   = 0;
bool     g_eaStopped   = false;   // the user stopped the EA from the dashboard (ea_state on every poll)
uint     g_serverTick   = 0;

//+------------------------------------------------------------------+
//| HTTP                                                             |
//+------------------------------------------------------------------+
// WebRequest (headers variant): https://docs.mql4.com/common/webrequest
int Post(const string endpoint, const string body, string &answer)
  {
   char data[];
   char result[];
   string responseHeaders;
   int n = StringToCharArray(body, data, 0, WHOLE_ARRAY, CP_UTF8);
   ArrayResize(data, (int)MathMax(n - 1, 0));
   string headers = "Authorization: Bearer " + LicenseToken + "\r\nContent-Type: application/json\r\n"
                    + "X-TradeFlow-Protocol: " + IntegerToString(TF_PROTOCOL) + "\r\n"
                    + "X-TradeFlow-Instance: " + g_instance + "\r\n";
   ResetLastError();
   int status = WebRequest("POST", RouterUrl + "/api/mtx/v1/" + endpoint, headers, 5000 + (int)MathMax(LongPollMillis, 0),
                           data, result, responseHeaders);
   if(status == -1)
     {
      int err = GetLastError();
      // Runtime errors: https://docs.mql4.com/constants/errorswarnings/errorcodes
      if(err == 4060)                                         // ERR_FUNCTION_NOT_CONFIRMED: the URL is not in the allow-list
         Print("TradeFlow: add ", RouterUrl, " to Tools > Options > Expert Advisors > Allow WebRequest for listed URL");
      else if(err >= 5200 && err <= 5203)                     // ERR_WEBREQUEST_*: bad address, connect failed, timeout, request failed
         Print("TradeFlow: ", endpoint, ": the router could not be reached (error ", err, "); check RouterUrl, TLS and the network");
      else
         Print("TradeFlow: ", endpoint, " failed, error ", err);
      return -1;
     }
   answer = CharArrayToString(result, 0, WHOLE_ARRAY, CP_UTF8);
   if(status != 200)
     {
      if(status == 401)
         Print("TradeFlow: the router does not know this license token (401)");
      else if(status == 426)
        {
         if(!g_outdated)
            Print("TradeFlow: the router refuses this EA's protocol: ", answer);
         g_outdated = true;
        }
      else
         Print("TradeFlow: ", endpoint, " answered HTTP ", status, ": ", StringSubstr(answer, 0, 300));
     }
   else
      g_outdated = false;
   return status;
  }

string Num(const double v) { return DoubleToString(v, 8); }

string Esc(const string s)
  {
   string out = "";
   int len = StringLen(s);
   for(int i = 0; i < len; i++)
     {
      ushort c = StringGetCharacter(s, i);
      if(c == '\"')
         out += "\\\"";
      else if(c == '\\')
         out += "\\\\";
      else if(c == '\n')
         out += "\\n";
      else if(c == '\r')
         out += "\\r";
      else if(c == '\t')
         out += "\\t";
      else if(c < 32)
         out += " ";
      else
         out += ShortToString(c);
     }
   return out;
  }

// Short texts for the trade server's return codes: https://docs.mql4.com/constants/errorswarnings/errorcodes
string ErrorText(const int err)
  {
   switch(err)
     {
      case 2:   return "common error";
      case 3:   return "invalid trade parameters";
      case 4:   return "trade server is busy";
      case 6:   return "no connection with the trade server";
      case 8:   return "too frequent requests";
      case 64:  return "account disabled";
      case 128: return "trade timeout";
      case 129: return "invalid price";
      case 130: return "invalid stops";
      case 131: return "invalid trade volume";
      case 132: return "market is closed";
      case 133: return "trade is disabled";
      case 134: return "not enough money";
      case 135: return "price changed";
      case 136: return "off quotes";
      case 137: return "broker is busy";
      case 138: return "requote";
      case 145: return "modification denied: too close to the market";
      case 146: return "trade context is busy";
      case 148: return "too many open and pending orders";
      case 149: return "hedging is prohibited";
      case 150: return "prohibited by FIFO rules";
     }
   return "MT4 error " + IntegerToString(err);
  }

//+------------------------------------------------------------------+
//| lifecycle                                                        |
//+------------------------------------------------------------------+
int OnInit()
  {
   if(StringLen(LicenseToken) < 20)
     {
      Print("TradeFlow: set LicenseToken to the token shown when the mtx account was created");
      return INIT_PARAMETERS_INCORRECT;
     }
   MathSrand((uint)(GetTickCount() ^ (uint)(ChartID() & 0x7FFFFFFF)));
   g_lockToken = 1.0 + (double)MathRand() * 32768.0 + (double)MathRand();
   g_instance = InstanceId();
   EventSetTimer((int)MathMax(PollSeconds, 1));
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason)
  {
   EventKillTimer();
   if(g_locked)
     {
      // GlobalVariableSetOnCondition: https://docs.mql4.com/globals/globalvariablesetoncondition
      GlobalVariableSetOnCondition(LockName(), 0.0, g_lockToken);
      GlobalVariablesFlush();                                 // https://docs.mql4.com/globals/globalvariablesflush
     }
  }

// On the timer, not on ticks: polling and state pushes go on when quotes stop (weekends).
void OnTimer()
  {
   if(!HoldLock())
      return;
   string why = "";
   bool canTrade = CanTrade(why);
   if(canTrade)
     {
      string answer;
      int status = Post("poll?format=text&wait_ms=" + IntegerToString((int)MathMax(LongPollMillis, 0)), "{}", answer);
      if(status == 200)
         HandleCommands(answer);
     }
   if(canTrade != g_lastCanTrade || g_lastState == 0 || GetTickCount() - g_lastState >= (uint)MathMax(StateSeconds, 1) * 1000)
      PushState(canTrade, why);
  }

// IsConnected: https://docs.mql4.com/check/isconnected ; TerminalInfoInteger: https://docs.mql4.com/check/terminalinfointeger
// IsExpertEnabled: https://docs.mql4.com/check/isexpertenabled ; AccountInfoInteger: https://docs.mql4.com/account/accountinfointeger
bool CanTrade(string &reason)
  {
   if(!IsConnected())
      reason = "the terminal is not connected to the broker's trade server";
   else if(!TerminalInfoInteger(TERMINAL_TRADE_ALLOWED) || !IsExpertEnabled())
      reason = "live trading by expert advisors is off in the terminal (the AutoTrading button)";
   else if(!MQLInfoInteger(MQL_TRADE_ALLOWED))
      reason = "live trading is not allowed for this EA (its Common tab: Allow live trading)";
   else if(!AccountInfoInteger(ACCOUNT_TRADE_ALLOWED))
      reason = "trading is disabled for this account (logged in with the investor password?)";
   else if(!AccountInfoInteger(ACCOUNT_TRADE_EXPERT))
      reason = "the broker does not allow expert advisors on this account";
   else
     {
      reason = "";
      return true;
     }
   return false;
  }

//+------------------------------------------------------------------+
//| single instance and identity (same scheme as the MQL5 edition)   |
//+------------------------------------------------------------------+
string LockName() { return "TF.lock." + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN)); }

string InstanceId()
  {
   string name = "TF.instance." + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN));
   if(!GlobalVariableCheck(name))
     {
      GlobalVariableSet(name, 1.0 + (double)MathRand() * 32768.0 + (double)MathRand());
      GlobalVariablesFlush();
     }
   return "mt4-" + IntegerToString(AccountInfoInteger(ACCOUNT_LOGIN)) + "-" + IntegerToString((long)GlobalVariableGet(name));
  }

bool HoldLock()
  {
   string name = LockName();
   string beat = name + ".beat";
   if(g_locked)
     {
      if(GlobalVariableSetOnCondition(name, g_lockToken, g_lockToken))
        {
         GlobalVariableSet(beat, (double)TimeLocal());
         return true;
        }
      g_locked = false;
      Print("TradeFlow: another TradeFlow EA took over this account's lock; this one stops trading");
      return false;
     }
   if(!GlobalVariableCheck(name))
      GlobalVariableSet(name, 0.0);
   double holder = GlobalVariableGet(name);
   bool taken;
   if(holder == 0.0)
      taken = GlobalVariableSetOnCondition(name, g_lockToken, 0.0);
   else
     {
      double last = GlobalVariableCheck(beat) ? GlobalVariableGet(beat) : 0.0;
      taken = (double)TimeLocal() - last > LOCK_STALE_SECONDS && GlobalVariableSetOnCondition(name, g_lockToken, holder);
     }
   if(!taken)
     {
      if(!g_idleNotice)
         Print("TradeFlow: another TradeFlow EA already trades account ", AccountInfoInteger(ACCOUNT_LOGIN),
               " in this terminal; this one stays idle (run one per account)");
      g_idleNotice = true;
      return false;
     }
   GlobalVariableSet(beat, (double)TimeLocal());
   GlobalVariablesFlush();
   g_locked = true;
   g_idleNotice = false;
   Print("TradeFlow: connected as instance ", g_instance, ", protocol ", TF_PROTOCOL);
   return true;
  }

//+------------------------------------------------------------------+
//| commands                                                         |
//+------------------------------------------------------------------+
// "commands=N|server_time=T|protocol=2|ea_state=running|stopped" then:
// id|action|symbol|side|type|volume|price|sl_mode|sl|tp_mode|tp|ticket|reduce_only|created_at|expires_at
void HandleCommands(const string text)
  {
   string lines[];
   int count = StringSplit(text, '\n', lines);
   if(count < 1)
      return;
   string head[];
   int h = StringSplit(lines[0], '|', head);
   for(int k = 0; k < h; k++)
      if(StringFind(head[k], "server_time=") == 0)
         g_serverTime = StringToInteger(StringSubstr(head[k], 12));
   bool stopped = false;
   for(int k = 0; k < h; k++)
      if(head[k] == "ea_state=stopped")
         stopped = true;
   if(stopped != g_eaStopped)
     {
      g_eaStopped = stopped;
      Print(stopped ? "TradeFlow: the EA is stopped from the dashboard; commands are not executed"
                    : "TradeFlow: the EA is started from the dashboard; trading again");
      Comment(stopped ? "TradeFlow: STOPPED from the dashboard" : "");
     }
   g_serverTick = GetTickCount();
   for(int i = 1; i < count; i++)
     {
      string f[];
      if(StringSplit(lines[i], '|', f) < 15)
         continue;
      Execute(f);
     }
  }

long RouterNow() { return g_serverTime + (long)(GetTickCount() - g_serverTick); }

string Key(const string id, const string part) { return "TF." + id + "." + part; }

void ResetOutcome(Outcome &o)
  {
   o.result = "refused";
   o.ticket = 0;
   o.volume = 0;
   o.notional = 0;
   o.code = 0;
   o.error = "";
  }

// At most once per id: claimed atomically and flushed before any trade; a claimed id without a
// recorded outcome (a crash mid-trade) is never executed again (rebuilt from history or "unknown").
void Execute(string &f[])
  {
   string id = f[0];
   string sKey = Key(id, "s");
   double state = GlobalVariableCheck(sKey) ? GlobalVariableGet(sKey) : 0.0;
   if(state == ST_DONE)
     {
      AckRecorded(id);
      return;
     }
   Outcome o;
   ResetOutcome(o);
   if(state == ST_SENDING)
     {
      Recover(id, o);
      Record(id, o);
      Ack(id, o);
      return;
     }
   long expires = StringToInteger(f[14]);
   if(RouterNow() > expires)
     {
      o.result = "expired";
      o.error = "received " + IntegerToString((RouterNow() - expires) / 1000) + " s after its expiry; not executed";
      Record(id, o);
      Ack(id, o);
      return;
     }
   if(g_eaStopped)
     {
      o.result = "refused";
      o.error = "the EA is stopped from the TradeFlow dashboard; not executed";
      Record(id, o);
      Ack(id, o);
      return;
     }
   if(state == 0.0)
      GlobalVariableSet(sKey, ST_NEW);
   if(!GlobalVariableSetOnCondition(sKey, ST_SENDING, ST_NEW))
      return;
   GlobalVariablesFlush();
   Run(f, o);
   Record(id, o);
   Ack(id, o);
  }

void Run(string &f[], Outcome &o)
  {
   string id = f[0], action = f[1], symbol = f[2], side = f[3], type = f[4];
   double volume = StringToDouble(f[5]), price = StringToDouble(f[6]);
   if(action == "cancel")
     {
      Cancel((int)StringToInteger(f[11]), o);
      return;
     }
   // SymbolSelect: https://docs.mql4.com/marketinformation/symbolselect
   if(!SymbolSelect(symbol, true))
     {
      o.code = GetLastError();
      o.error = "symbol " + symbol + " is not offered by this broker (check the account's symbol suffix)";
      return;
     }
   RefreshRates();                                             // https://docs.mql4.com/series/refreshrates
   // MarketInfo: https://docs.mql4.com/marketinformation/marketinfo
   if(MarketInfo(symbol, MODE_BID) <= 0 || MarketInfo(symbol, MODE_ASK) <= 0)
     {
      o.error = "no quote for " + symbol + " (market closed or symbol not streaming)";
      return;
     }
   if(action == "close")
     {
      CloseUpTo(symbol, side, volume <= 0 ? 0 : volume, o);
      return;
     }
   double lots = NormalizeLots(symbol, volume, o);
   if(lots <= 0)
      return;
   bool buy = side == "buy";
   if(type == "market")
      OpenMarket(id, symbol, buy, lots, f[7], StringToDouble(f[8]), f[9], StringToDouble(f[10]), o);
   else
      PlacePending(id, symbol, buy, type, lots, price, f[7], StringToDouble(f[8]), f[9], StringToDouble(f[10]), o);
  }

//+------------------------------------------------------------------+
//| volumes and prices                                               |
//+------------------------------------------------------------------+
// MODE_LOTSTEP / MODE_MINLOT / MODE_MAXLOT: https://docs.mql4.com/constants/environment_state/marketinfoconstants
double NormalizeLots(const string symbol, const double volume, Outcome &o)
  {
   double step = MarketInfo(symbol, MODE_LOTSTEP);
   double minLot = MarketInfo(symbol, MODE_MINLOT);
   double maxLot = MarketInfo(symbol, MODE_MAXLOT);
   if(step <= 0)
      step = 0.01;
   double lots = NormalizeDouble(MathFloor(volume / step + 1e-7) * step, 8);
   if(lots < minLot - 1e-9)
     {
      o.error = "volume " + Num(volume) + " is below " + symbol + "'s minimum of " + Num(minLot) + " lots (step " + Num(step) + ")";
      return 0;
     }
   if(lots > maxLot + 1e-9)
     {
      o.error = "volume " + Num(volume) + " is above " + symbol + "'s maximum of " + Num(maxLot) + " lots";
      return 0;
     }
   return lots;
  }

double RoundPrice(const string symbol, const double p)
  {
   double tick = MarketInfo(symbol, MODE_TICKSIZE);
   int digits = (int)MarketInfo(symbol, MODE_DIGITS);
   if(tick > 0)
      return NormalizeDouble(MathRound(p / tick) * tick, digits);
   return NormalizeDouble(p, digits);
  }

// "price" absolute, "distance" a price distance from ref computed by the router (no pip guessing), "none" 0.
double Level(const string symbol, const string mode, const double value, const double ref, const bool buy, const bool isStop)
  {
   if(value <= 0)
      return 0;
   if(mode == "price")
      return RoundPrice(symbol, value);
   if(mode != "distance")
      return 0;
   bool below = (buy && isStop) || (!buy && !isStop);
   return RoundPrice(symbol, below ? ref - value : ref + value);
  }

// sl/tp on the right side of price and at least MODE_STOPLEVEL points away.
bool StopsValid(const string symbol, const bool buy, const double price, const double sl, const double tp, Outcome &o)
  {
   double point = MarketInfo(symbol, MODE_POINT);
   double minDist = MarketInfo(symbol, MODE_STOPLEVEL) * point;
   int digits = (int)MarketInfo(symbol, MODE_DIGITS);
   if(sl > 0 && (buy ? price - sl : sl - price) < MathMax(minDist, point))
     {
      o.code = 130;
      o.error = "stop loss " + DoubleToString(sl, digits) + " is on the wrong side of " + DoubleToString(price, digits)
                + " or within the broker's stop level of " + DoubleToString(MarketInfo(symbol, MODE_STOPLEVEL), 0) + " points";
      return false;
     }
   if(tp > 0 && (buy ? tp - price : price - tp) < MathMax(minDist, point))
     {
      o.code = 130;
      o.error = "take profit " + DoubleToString(tp, digits) + " is on the wrong side of " + DoubleToString(price, digits)
                + " or within the broker's stop level of " + DoubleToString(MarketInfo(symbol, MODE_STOPLEVEL), 0) + " points";
      return false;
     }
   return true;
  }

//+------------------------------------------------------------------+
//| sending                                                          |
//+------------------------------------------------------------------+
// Errors worth a brief retry: busy server/broker, too frequent, price moved, off quotes, requote,
// busy trade context, no connection (the request did not leave).
bool Retryable(const int err)
  {
   return err == 4 || err == 6 || err == 8 || err == 129 || err == 135 || err == 136 || err == 137 || err == 138 || err == 146;
  }

// Waits up to 5 s for the terminal's single trade context. IsTradeContextBusy: https://docs.mql4.com/check/istradecontextbusy
bool WaitTradeContext()
  {
   uint start = GetTickCount();
   while(IsTradeContextBusy())
     {
      if(GetTickCount() - start > 5000)
         return false;
      Sleep(50);
     }
   return true;
  }

// OrderSend with brief retries; market orders re-priced each time. Returns the ticket, 0 when refused,
// -1 when the outcome is unknown (trade timeout: it may have executed). https://docs.mql4.com/trading/ordersend
int SendOrder(const string symbol, const int cmd, const double lots, const double price, const double sl, const double tp,
              const string comment, Outcome &o)
  {
   int err = 0;
   int retries = (int)MathMax(TradeRetries, 0);
   for(int attempt = 0; attempt <= retries; attempt++)
     {
      if(!WaitTradeContext())
        {
         err = 146;
         continue;
        }
      RefreshRates();
      double at = price;
      if(cmd == OP_BUY)
         at = MarketInfo(symbol, MODE_ASK);
      else if(cmd == OP_SELL)
         at = MarketInfo(symbol, MODE_BID);
      ResetLastError();
      int ticket = OrderSend(symbol, cmd, lots, NormalizeDouble(at, (int)MarketInfo(symbol, MODE_DIGITS)), SlippagePoints, sl, tp,
                             comment, MagicNumber, 0, clrNONE);
      if(ticket > 0)
         return ticket;
      err = GetLastError();
      if(err == 128)
        {
         o.code = err;
         o.error = ErrorText(err);
         return -1;
        }
      if(!Retryable(err))
         break;
      Sleep(300 * (attempt + 1));
     }
   o.code = err;
   o.error = ErrorText(err);
   return 0;
  }

//+------------------------------------------------------------------+
//| trading                                                          |
//+------------------------------------------------------------------+
// Market order: this EA's orders facing the other way are closed first (oldest first: FIFO accounts
// refuse anything else), and only the rest opens. The rest opens without SL/TP and gets them with
// OrderModify from its fill price at once (ECN / market-execution accounts refuse stops on a market
// OrderSend; instant-execution accounts accept both ways). Every step is checked; a failed close stops
// the command, so a failed close never leaves a hedge.
void OpenMarket(const string id, const string symbol, const bool buy, const double lots, const string slMode,
                const double slValue, const string tpMode, const double tpValue, Outcome &o)
  {
   double bid = MarketInfo(symbol, MODE_BID), ask = MarketInfo(symbol, MODE_ASK);
   double ref = buy ? ask : bid;
   double sl0 = Level(symbol, slMode, slValue, ref, buy, true);
   double tp0 = Level(symbol, tpMode, tpValue, ref, buy, false);
   if(!StopsValid(symbol, buy, buy ? bid : ask, sl0, tp0, o))
      return;
   double before = o.volume;
   if(!CloseFacing(symbol, buy ? "buy" : "sell", lots, o))
     {
      Finish(o);
      return;
     }
   double rest = NormalizeDouble(lots - (o.volume - before), 8);
   if(rest > 1e-9)
     {
      int ticket = SendOrder(symbol, buy ? OP_BUY : OP_SELL, rest, 0, 0, 0, id, o);   // the id on the order
      if(ticket == -1)
        {
         o.result = "unknown";
         return;
        }
      // OrderSelect: https://docs.mql4.com/trading/orderselect
      if(ticket > 0 && OrderSelect(ticket, SELECT_BY_TICKET))
        {
         double opened = OrderOpenPrice();
         o.ticket = ticket;
         o.volume += OrderLots();
         o.notional += OrderLots() * opened;
         double sl = Level(symbol, slMode, slValue, opened, buy, true);
         double tp = Level(symbol, tpMode, tpValue, opened, buy, false);
         if(sl > 0 || tp > 0)
            SetStops(ticket, symbol, buy, sl, tp, o);
        }
      else if(ticket > 0)
        {
         // Opened, but the terminal would not select it: book the lots sent at the quote it was sent at.
         o.ticket = ticket;
         o.volume += rest;
         o.notional += rest * (buy ? MarketInfo(symbol, MODE_ASK) : MarketInfo(symbol, MODE_BID));
         o.error = "opened as ticket " + IntegerToString(ticket) + " but it could not be read back; price and stops unchecked";
        }
     }
   Finish(o);
  }

// OrderModify with retries: https://docs.mql4.com/trading/ordermodify. A failure leaves the position
// open without them; the ack says so (filled, with the error).
void SetStops(const int ticket, const string symbol, const bool buy, const double sl, const double tp, Outcome &o)
  {
   int err = 0;
   int retries = (int)MathMax(TradeRetries, 0);
   for(int attempt = 0; attempt <= retries; attempt++)
     {
      if(!WaitTradeContext() || !OrderSelect(ticket, SELECT_BY_TICKET))
        {
         err = 146;
         continue;
        }
      ResetLastError();
      if(OrderModify(ticket, OrderOpenPrice(), sl, tp, 0, clrNONE))
         return;
      err = GetLastError();
      if(err == 1)                                             // ERR_NO_RESULT: nothing to change
         return;
      if(!Retryable(err))
         break;
      Sleep(300 * (attempt + 1));
     }
   o.code = err;
   o.error = "opened, but its stop loss / take profit could not be set: " + ErrorText(err);
  }

void Finish(Outcome &o)
  {
   if(o.result == "unknown")
      return;
   o.result = o.volume > 1e-9 ? "filled" : "refused";
  }

// Closes up to volume lots (0 = all) of this EA's orders in symbol that a trade on `side` reduces
// ("buy" reduces sells, "sell" buys, "" either), oldest first. OrderClose: https://docs.mql4.com/trading/orderclose
// (it takes no comment: MT4 closes cannot carry the command id; the claim recorded before sending covers them).
bool CloseFacing(const string symbol, const string side, const double volume, Outcome &o)
  {
   double closed = 0;
   int done[];
   int doneCount = 0;
   while(volume <= 0 || closed < volume - 1e-9)
     {
      int pick = -1;
      datetime pickTime = 0;
      for(int i = OrdersTotal() - 1; i >= 0; i--)
        {
         if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || OrderSymbol() != symbol || OrderMagicNumber() != MagicNumber
            || OrderType() > OP_SELL)
            continue;
         bool isBuy = OrderType() == OP_BUY;
         if((side == "buy" && isBuy) || (side == "sell" && !isBuy))
            continue;
         bool seen = false;
         for(int k = 0; k < doneCount; k++)
            if(done[k] == OrderTicket())
               seen = true;
         if(seen)
            continue;
         if(pick == -1 || OrderOpenTime() < pickTime || (OrderOpenTime() == pickTime && OrderTicket() < pick))
           {
            pick = OrderTicket();
            pickTime = OrderOpenTime();
           }
        }
      if(pick == -1 || !OrderSelect(pick, SELECT_BY_TICKET))
         break;
      ArrayResize(done, doneCount + 1);
      done[doneCount++] = pick;
      bool buyOrder = OrderType() == OP_BUY;
      double lots = volume <= 0 ? OrderLots() : MathMin(OrderLots(), NormalizeDouble(volume - closed, 8));
      double step = MarketInfo(symbol, MODE_LOTSTEP);
      if(step > 0)
         lots = NormalizeDouble(MathFloor(lots / step + 1e-7) * step, 8);
      if(lots <= 0 || lots < MarketInfo(symbol, MODE_MINLOT) - 1e-9)
        {
         o.error = "the remaining " + Num(volume - closed) + " lots are below " + symbol + "'s minimum lot; not closed";
         break;
        }
      // MODE_FREEZELEVEL: no close while the order's stop or target is that close to the price.
      double freeze = MarketInfo(symbol, MODE_FREEZELEVEL) * MarketInfo(symbol, MODE_POINT);
      double closeAt = buyOrder ? MarketInfo(symbol, MODE_BID) : MarketInfo(symbol, MODE_ASK);
      if(freeze > 0 && ((OrderStopLoss() > 0 && MathAbs(closeAt - OrderStopLoss()) < freeze)
                        || (OrderTakeProfit() > 0 && MathAbs(closeAt - OrderTakeProfit()) < freeze)))
        {
         o.code = 145;
         o.error = "order " + IntegerToString(pick) + "'s stop or target is within the broker's freeze level; it cannot be closed now";
         return false;
        }
      int result = CloseOrder(pick, symbol, buyOrder, lots, o);
      if(result == -1)
        {
         o.result = "unknown";
         return false;
        }
      if(result == 0)
         return false;
      closed += lots;
     }
   return true;
  }

// OrderClose with retries; adds the closed lots at the close price to the outcome. 1 closed, 0 refused, -1 unknown.
int CloseOrder(const int ticket, const string symbol, const bool buyOrder, const double lots, Outcome &o)
  {
   int err = 0;
   int retries = (int)MathMax(TradeRetries, 0);
   for(int attempt = 0; attempt <= retries; attempt++)
     {
      if(!WaitTradeContext())
        {
         err = 146;
         continue;
        }
      RefreshRates();
      double at = NormalizeDouble(buyOrder ? MarketInfo(symbol, MODE_BID) : MarketInfo(symbol, MODE_ASK), (int)MarketInfo(symbol, MODE_DIGITS));
      ResetLastError();
      if(OrderClose(ticket, lots, at, SlippagePoints, clrNONE))
        {
         // The closed part keeps the ticket (a partial close reopens the rest under a new one).
         double price = at;
         if(OrderSelect(ticket, SELECT_BY_TICKET) && OrderCloseTime() > 0)
            price = OrderClosePrice();
         o.volume += lots;
         o.notional += lots * price;
         if(o.ticket == 0)
            o.ticket = ticket;
         return 1;
        }
      err = GetLastError();
      if(err == 128)
        {
         o.code = err;
         o.error = "closing order " + IntegerToString(ticket) + ": " + ErrorText(err);
         return -1;
        }
      if(!Retryable(err))
         break;
      Sleep(300 * (attempt + 1));
     }
   o.code = err;
   o.error = "closing order " + IntegerToString(ticket) + ": " + ErrorText(err);
   return 0;
  }

// Reduce-only exit: closes what is open, never opens the other way.
void CloseUpTo(const string symbol, const string side, const double volume, Outcome &o)
  {
   bool ok = CloseFacing(symbol, side, volume, o);
   if(o.result == "unknown")
      return;
   if(o.volume <= 1e-9 && ok)
     {
      o.result = "refused";
      o.error = "nothing to close: no open " + (side == "sell" ? "buy " : side == "buy" ? "sell " : "") + "order of this EA in "
                + symbol + " (closed at the broker already, e.g. by its stop loss?)";
      return;
     }
   Finish(o);
   if(ok && volume > 0 && o.volume < volume - 1e-9 && o.error == "")
      o.error = "only " + Num(o.volume) + " of " + Num(volume) + " lots were open";
  }

// A limit or stop order at its price (tick size), with its stops measured from that price.
void PlacePending(const string id, const string symbol, const bool buy, const string type, const double lots, const double price,
                  const string slMode, const double slValue, const string tpMode, const double tpValue, Outcome &o)
  {
   double at = RoundPrice(symbol, price);
   if(at <= 0)
     {
      o.error = "a " + type + " order needs its price";
      return;
     }
   bool limit = type == "limit";
   double point = MarketInfo(symbol, MODE_POINT);
   double minDist = MarketInfo(symbol, MODE_STOPLEVEL) * point;
   double market = buy ? MarketInfo(symbol, MODE_ASK) : MarketInfo(symbol, MODE_BID);
   bool below = (buy && limit) || (!buy && !limit);
   if((below ? market - at : at - market) < MathMax(minDist, point))
     {
      o.code = 129;
      o.error = "the " + type + " price " + DoubleToString(at, (int)MarketInfo(symbol, MODE_DIGITS))
                + " is on the wrong side of the market or within the broker's stop level";
      return;
     }
   double sl = Level(symbol, slMode, slValue, at, buy, true);
   double tp = Level(symbol, tpMode, tpValue, at, buy, false);
   if(!StopsValid(symbol, buy, at, sl, tp, o))
      return;
   int cmd = limit ? (buy ? OP_BUYLIMIT : OP_SELLLIMIT) : (buy ? OP_BUYSTOP : OP_SELLSTOP);
   int ticket = SendOrder(symbol, cmd, lots, at, sl, tp, id, o);
   if(ticket > 0)
     {
      o.result = "placed";
      o.ticket = ticket;
      o.code = 0;
      o.error = "";
     }
   else if(ticket == -1)
      o.result = "unknown";
  }

// OrderDelete: https://docs.mql4.com/trading/orderdelete
void Cancel(const int ticket, Outcome &o)
  {
   if(ticket <= 0 || !OrderSelect(ticket, SELECT_BY_TICKET) || OrderCloseTime() > 0 || OrderType() <= OP_SELL)
     {
      o.error = "no pending order " + IntegerToString(ticket) + " (filled or cancelled already?)";
      return;
     }
   string symbol = OrderSymbol();
   double freeze = MarketInfo(symbol, MODE_FREEZELEVEL) * MarketInfo(symbol, MODE_POINT);
   double at = OrderOpenPrice();
   if(freeze > 0 && (MathAbs(MarketInfo(symbol, MODE_BID) - at) < freeze || MathAbs(MarketInfo(symbol, MODE_ASK) - at) < freeze))
     {
      o.code = 145;
      o.error = "the order is within the broker's freeze level of the price; it cannot be cancelled now";
      return;
     }
   int err = 0;
   int retries = (int)MathMax(TradeRetries, 0);
   for(int attempt = 0; attempt <= retries; attempt++)
     {
      if(!WaitTradeContext())
        {
         err = 146;
         continue;
        }
      ResetLastError();
      if(OrderDelete(ticket, clrNONE))
        {
         o.result = "placed";                                  // done: the ack of a cancel is "placed" (nothing traded)
         o.ticket = ticket;
         return;
        }
      err = GetLastError();
      if(!Retryable(err))
         break;
      Sleep(300 * (attempt + 1));
     }
   o.code = err;
   o.error = ErrorText(err);
  }

//+------------------------------------------------------------------+
//| recording and recovery                                           |
//+------------------------------------------------------------------+
void Record(const string id, Outcome &o)
  {
   double r = o.result == "filled" ? R_FILLED : o.result == "placed" ? R_PLACED : o.result == "expired" ? R_EXPIRED
              : o.result == "unknown" ? R_UNKNOWN : R_REFUSED;
   GlobalVariableSet(Key(id, "r"), r);
   GlobalVariableSet(Key(id, "t"), (double)o.ticket);
   GlobalVariableSet(Key(id, "v"), o.volume);
   GlobalVariableSet(Key(id, "p"), o.volume > 0 ? o.notional / o.volume : 0);
   GlobalVariableSet(Key(id, "e"), (double)o.code);
   if(!GlobalVariableCheck(Key(id, "s")))
      GlobalVariableSet(Key(id, "s"), ST_NEW);
   GlobalVariableSet(Key(id, "s"), ST_DONE);
   GlobalVariablesFlush();
  }

void AckRecorded(const string id)
  {
   Outcome o;
   ResetOutcome(o);
   double r = GlobalVariableGet(Key(id, "r"));
   o.result = r == R_FILLED ? "filled" : r == R_PLACED ? "placed" : r == R_EXPIRED ? "expired" : r == R_UNKNOWN ? "unknown" : "refused";
   o.ticket = (int)GlobalVariableGet(Key(id, "t"));
   o.volume = GlobalVariableGet(Key(id, "v"));
   o.notional = o.volume * GlobalVariableGet(Key(id, "p"));
   o.code = (int)GlobalVariableGet(Key(id, "e"));
   o.error = o.result == "filled" || o.result == "placed" ? "" : "recorded earlier";
   Ack(id, o);
  }

// The comment is the id, possibly with a suffix the server appended ("tf-1-7[sl]"), never another id's prefix.
bool IdMatches(const string comment, const string id)
  {
   if(comment == id)
      return true;
   if(StringFind(comment, id) != 0 || StringLen(comment) <= StringLen(id))
      return false;
   ushort next = StringGetCharacter(comment, StringLen(id));
   return next == '[' || next == ' ';
  }

// A claimed id without a recorded outcome: rebuilds the orders this EA opened for it (open or closed
// since) from their comment; else "unknown". Never trades again. MT4 closes carry no comment, so a
// crash after closes but before the open is reported as "unknown".
// OrdersTotal: https://docs.mql4.com/trading/orderstotal ; OrdersHistoryTotal: https://docs.mql4.com/trading/ordershistorytotal
void Recover(const string id, Outcome &o)
  {
   for(int i = OrdersTotal() - 1; i >= 0; i--)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || OrderMagicNumber() != MagicNumber || !IdMatches(OrderComment(), id))
         continue;
      if(OrderType() <= OP_SELL)
        {
         o.volume += OrderLots();
         o.notional += OrderLots() * OrderOpenPrice();
         o.ticket = OrderTicket();
        }
      else
        {
         o.result = "placed";
         o.ticket = OrderTicket();
         return;
        }
     }
   for(int i = OrdersHistoryTotal() - 1; i >= 0; i--)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_HISTORY) || OrderMagicNumber() != MagicNumber || !IdMatches(OrderComment(), id)
         || OrderType() > OP_SELL)
         continue;
      o.volume += OrderLots();
      o.notional += OrderLots() * OrderOpenPrice();
      o.ticket = OrderTicket();
     }
   if(o.volume > 1e-9)
     {
      o.result = "filled";
      o.error = "rebuilt from the order history after a restart";
      return;
     }
   o.result = "unknown";
   o.error = "the EA stopped while executing this command and found no order of it; check the terminal";
  }

void Ack(const string id, Outcome &o)
  {
   double price = o.volume > 0 ? o.notional / o.volume : 0;
   string body = "{\"id\":\"" + Esc(id) + "\",\"result\":\"" + o.result + "\",\"ticket\":" + IntegerToString(o.ticket)
                 + ",\"price\":" + Num(price) + ",\"volume\":" + Num(o.volume) + ",\"error_code\":" + IntegerToString(o.code)
                 + ",\"error\":\"" + Esc(o.error) + "\"}";
   string answer;
   Post("ack", body, answer);
  }

//+------------------------------------------------------------------+
//| state                                                            |
//+------------------------------------------------------------------+
void PushState(const bool canTrade, const string why)
  {
   string rows = "";
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || OrderMagicNumber() != MagicNumber || OrderType() > OP_SELL)
         continue;
      rows += (rows == "" ? "" : ",") + "{\"ticket\":\"" + IntegerToString(OrderTicket()) + "\",\"symbol\":\"" + Esc(OrderSymbol())
              + "\",\"side\":\"" + (OrderType() == OP_BUY ? "buy" : "sell") + "\",\"volume\":" + Num(OrderLots())
              + ",\"price\":" + Num(OrderOpenPrice()) + "}";
     }
   string body = "{\"positions\":[" + rows + "],\"account\":{\"balance\":" + Num(AccountBalance()) + ",\"equity\":"
                 + Num(AccountEquity()) + ",\"currency\":\"" + Esc(AccountCurrency()) + "\"},\"can_trade\":"
                 + (canTrade ? "true" : "false") + ",\"cannot_trade_reason\":\"" + Esc(why) + "\"}";
   string answer;
   if(Post("state", body, answer) == 200)
     {
      g_lastState = GetTickCount();
      g_lastCanTrade = canTrade;
     }
  }
//+------------------------------------------------------------------+
