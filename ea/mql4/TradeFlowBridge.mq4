//+------------------------------------------------------------------+
//| TradeFlowBridge.mq4 - the MetaTrader 4 edition of the TradeFlow  |
//| bridge EA. Same protocol as the MQL5 edition (poll, execute each |
//| command id at most once, ack, push state, heartbeat); only the   |
//| trading calls differ (OrderSend/OrderClose/OrderDelete).         |
//+------------------------------------------------------------------+
#property copyright "TradeFlow"
#property version   "1.00"
#property strict

input string RouterUrl      = "https://your-tradeflow-host"; // allow it in Tools > Options > Expert Advisors
input string LicenseToken   = "";                            // the account's mtx license token
input int    PollSeconds    = 1;
input int    LongPollMillis = 0;
input int    StateSeconds   = 10;
input int    SlippagePoints = 20;
input int    MagicNumber    = 20261123;

datetime lastState = 0;

int Post(const string endpoint, const string body, string &answer)
  {
   char data[];
   char result[];
   string responseHeaders;
   int n = StringToCharArray(body, data, 0, WHOLE_ARRAY, CP_UTF8);
   ArrayResize(data, MathMax(n - 1, 0));
   string headers = "Authorization: Bearer " + LicenseToken + "\r\nContent-Type: application/json\r\n";
   ResetLastError();
   int status = WebRequest("POST", RouterUrl + "/api/mtx/v1/" + endpoint, headers, 5000 + LongPollMillis, data, result, responseHeaders);
   if(status == -1)
     {
      int err = GetLastError();
      if(err == 4060 || err == 5203)
         Print("TradeFlow: add ", RouterUrl, " to Tools > Options > Expert Advisors > Allow WebRequest");
      else
         Print("TradeFlow: ", endpoint, " failed, error ", err);
      return -1;
     }
   answer = CharArrayToString(result, 0, WHOLE_ARRAY, CP_UTF8);
   return status;
  }

string Num(const double v) { return DoubleToString(v, 8); }

int OnInit()
  {
   if(StringLen(LicenseToken) < 20)
     {
      Print("TradeFlow: set LicenseToken to the token shown when the mtx account was created");
      return INIT_PARAMETERS_INCORRECT;
     }
   EventSetTimer(MathMax(PollSeconds, 1));
   string answer;
   Post("heartbeat", "{}", answer);
   PushState();
   return INIT_SUCCEEDED;
  }

void OnDeinit(const int reason) { EventKillTimer(); }

void OnTimer()
  {
   string answer;
   int status = Post("poll?format=text&wait_ms=" + IntegerToString(LongPollMillis), "{}", answer);
   if(status == 200)
      HandleCommands(answer);
   else if(status == 401)
      Print("TradeFlow: the router does not know this license token");
   if(TimeCurrent() - lastState >= StateSeconds)
      PushState();
  }

// "commands=N" then: id|action|symbol|side|type|volume|price|sl_mode|sl|tp_mode|tp|ticket
void HandleCommands(const string text)
  {
   string lines[];
   int count = StringSplit(text, '\n', lines);
   for(int i = 1; i < count; i++)
     {
      string f[];
      if(StringSplit(lines[i], '|', f) < 12)
         continue;
      Execute(f);
     }
  }

void Execute(string &f[])
  {
   string id = f[0];
   string key = "TF_" + id;
   if(GlobalVariableCheck(key + "_t"))
     {
      double recorded = GlobalVariableGet(key + "_t");
      if(recorded > 0)
         Ack(id, true, (int)recorded, GlobalVariableGet(key + "_p"), GlobalVariableGet(key + "_v"), 0, "");
      else
         Ack(id, false, 0, 0, 0, (int)GlobalVariableGet(key + "_e"), "refused earlier");
      return;
     }
   int found = TicketWithComment(id);
   if(found > 0 && OrderSelect(found, SELECT_BY_TICKET))
     {
      double filledLots = OrderType() <= OP_SELL ? OrderLots() : 0;
      Record(key, found, OrderOpenPrice(), filledLots, 0);
      Ack(id, true, found, OrderOpenPrice(), filledLots, 0, "");
      return;
     }
   string action = f[1], symbol = f[2], side = f[3], type = f[4];
   double volume = StringToDouble(f[5]), price = StringToDouble(f[6]);
   double sl = StringToDouble(f[8]), tp = StringToDouble(f[10]);
   bool buy = side == "buy";
   int ticket = -1;
   bool ok = false;
   double fillPrice = 0, filled = 0;
   RefreshRates();
   if(action == "open")
     {
      int op = buy ? OP_BUY : OP_SELL;
      double at = buy ? MarketInfo(symbol, MODE_ASK) : MarketInfo(symbol, MODE_BID);
      if(type == "limit") { op = buy ? OP_BUYLIMIT : OP_SELLLIMIT; at = price; }
      if(type == "stop")  { op = buy ? OP_BUYSTOP : OP_SELLSTOP;   at = price; }
      // MT4 accounts hedge: the router trades net quantities, so a market order against this EA's
      // open positions closes them first and only the rest opens a new position.
      double rest = volume;
      if(type == "market")
        {
         double closed = ClosePositions(symbol, volume, !buy);
         rest = NormalizeDouble(volume - closed, 8);
         fillPrice = at;
         filled = closed;
        }
      if(rest > 0)
        {
         ticket = OrderSend(symbol, op, rest, at, SlippagePoints, Level(symbol, f[7], sl, at, buy, true),
                            Level(symbol, f[9], tp, at, buy, false), id, MagicNumber, 0, clrNONE);
         ok = ticket > 0;
         if(ok && type == "market" && OrderSelect(ticket, SELECT_BY_TICKET))
           {
            fillPrice = OrderOpenPrice();
            filled += OrderLots();
           }
        }
      else
         ok = true;
     }
   else if(action == "close")
      ok = ClosePositions(symbol, volume <= 0 ? 1e9 : volume, true) > 0 || ClosePositions(symbol, volume <= 0 ? 1e9 : volume, false) > 0;
   else if(action == "cancel")
     {
      ticket = (int)StringToInteger(f[11]);
      ok = OrderDelete(ticket);
     }
   if(ok)
     {
      Record(key, MathMax(ticket, 1), fillPrice, filled, 0);
      Ack(id, true, MathMax(ticket, 1), fillPrice, filled, 0, "");
     }
   else
     {
      int code = GetLastError();
      Record(key, 0, 0, 0, code);
      Ack(id, false, 0, 0, 0, code, "MT4 error " + IntegerToString(code));
     }
  }

void Record(const string key, const int ticket, const double price, const double volume, const int code)
  {
   GlobalVariableSet(key + "_p", price);
   GlobalVariableSet(key + "_v", volume);
   GlobalVariableSet(key + "_e", code);
   GlobalVariableSet(key + "_t", ticket);
  }

double Level(const string symbol, const string mode, const double value, const double ref, const bool buy, const bool isStop)
  {
   if(mode == "price")
      return value;
   if(mode != "pips" || value <= 0)
      return 0;
   int digits = (int)MarketInfo(symbol, MODE_DIGITS);
   double pip = MarketInfo(symbol, MODE_POINT) * ((digits == 3 || digits == 5) ? 10 : 1);
   bool below = (buy && isStop) || (!buy && !isStop);
   return NormalizeDouble(below ? ref - value * pip : ref + value * pip, digits);
  }

// Closes up to volume lots of this EA's buy (buys = true) or sell positions in symbol; returns the lots closed.
double ClosePositions(const string symbol, const double volume, const bool buys)
  {
   double closed = 0;
   for(int i = OrdersTotal() - 1; i >= 0 && closed < volume; i--)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || OrderSymbol() != symbol || OrderMagicNumber() != MagicNumber
         || OrderType() != (buys ? OP_BUY : OP_SELL))
         continue;
      double lots = MathMin(OrderLots(), volume - closed);
      double at = buys ? MarketInfo(symbol, MODE_BID) : MarketInfo(symbol, MODE_ASK);
      if(!OrderClose(OrderTicket(), lots, at, SlippagePoints, clrNONE))
         break;
      closed += lots;
     }
   return closed;
  }

int TicketWithComment(const string id)
  {
   for(int i = OrdersTotal() - 1; i >= 0; i--)
      if(OrderSelect(i, SELECT_BY_POS, MODE_TRADES) && OrderComment() == id)
         return OrderTicket();
   for(int i = OrdersHistoryTotal() - 1; i >= 0; i--)
      if(OrderSelect(i, SELECT_BY_POS, MODE_HISTORY) && OrderComment() == id)
         return OrderTicket();
   return 0;
  }

void Ack(const string id, const bool ok, const int ticket, const double price, const double volume,
         const int code, const string error)
  {
   string body = "{\"id\":\"" + id + "\",\"ok\":" + (ok ? "true" : "false") + ",\"ticket\":" + IntegerToString(ticket)
                 + ",\"price\":" + Num(price) + ",\"volume\":" + Num(volume) + ",\"error_code\":" + IntegerToString(code)
                 + ",\"error\":\"" + error + "\"}";
   string answer;
   Post("ack", body, answer);
  }

void PushState()
  {
   string rows = "";
   for(int i = 0; i < OrdersTotal(); i++)
     {
      if(!OrderSelect(i, SELECT_BY_POS, MODE_TRADES) || OrderMagicNumber() != MagicNumber || OrderType() > OP_SELL)
         continue;
      rows += (rows == "" ? "" : ",") + "{\"ticket\":\"" + IntegerToString(OrderTicket()) + "\",\"symbol\":\"" + OrderSymbol()
              + "\",\"side\":\"" + (OrderType() == OP_BUY ? "buy" : "sell") + "\",\"volume\":" + Num(OrderLots())
              + ",\"price\":" + Num(OrderOpenPrice()) + "}";
     }
   string body = "{\"positions\":[" + rows + "],\"account\":{\"balance\":" + Num(AccountBalance()) + ",\"equity\":"
                 + Num(AccountEquity()) + ",\"currency\":\"" + AccountCurrency() + "\"}}";
   string answer;
   if(Post("state", body, answer) == 200)
      lastState = TimeCurrent();
  }
//+------------------------------------------------------------------+
