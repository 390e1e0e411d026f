package io.meshwarden.demo.workloads;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the simulated Online Boutique does: each service's gRPC methods (named as in the app's
 * {@code demo.proto}) and the calls each method makes downstream, taken from the app's source
 * (frontend's handlers, checkoutservice's {@code PlaceOrder}, recommendationservice). The frontend
 * serves HTTP in the real app; a proxyless gRPC server cannot, so its pages are gRPC methods of a
 * service named {@code frontend.Shop} here. cartservice's calls to redis-cart (TCP) are not simulated.
 */
final class OnlineBoutique {
  private OnlineBoutique() {}

  static final String FRONTEND = "frontend";
  static final String LOAD_GENERATOR = "loadgenerator";
  static final String PAYMENT = "paymentservice";

  /** One call: the callee workload and the full gRPC method name ({@code package.Service/Method}). */
  record Call(String callee, String method) {
    Call {
      Objects.requireNonNull(callee, "callee");
      Objects.requireNonNull(method, "method");
    }

    /** The HTTP/2 path a gRPC call of this method carries. */
    String path() {
      return "/" + method;
    }
  }

  /** A service: its workload, its gRPC service name, and per method (by simple name) the calls it makes. */
  record Service(String workload, String grpcService, Map<String, List<Call>> methods) {
    Service {
      methods = Map.copyOf(methods);
    }

    String fullName(String method) {
      return grpcService + "/" + method;
    }
  }

  private static Call cart(String m) {
    return new Call("cartservice", "hipstershop.CartService/" + m);
  }

  private static Call catalog(String m) {
    return new Call("productcatalogservice", "hipstershop.ProductCatalogService/" + m);
  }

  private static Call currency(String m) {
    return new Call("currencyservice", "hipstershop.CurrencyService/" + m);
  }

  private static Call shipping(String m) {
    return new Call("shippingservice", "hipstershop.ShippingService/" + m);
  }

  private static Call frontend(String m) {
    return new Call(FRONTEND, "frontend.Shop/" + m);
  }

  private static final Call RECOMMEND = new Call("recommendationservice",
      "hipstershop.RecommendationService/ListRecommendations");
  private static final Call ADS = new Call("adservice", "hipstershop.AdService/GetAds");
  private static final Call CHECKOUT = new Call("checkoutservice", "hipstershop.CheckoutService/PlaceOrder");
  private static final Call CHARGE = new Call(PAYMENT, "hipstershop.PaymentService/Charge");
  private static final Call EMAIL = new Call("emailservice", "hipstershop.EmailService/SendOrderConfirmation");

  /** The call the app never makes: the frontend charging a card itself (only checkout does). */
  static final Call INTRUSION = CHARGE;

  /** What the load generator asks the frontend for, in its order (the app's locust tasks, weighted). */
  static final List<Call> LOAD = List.of(frontend("Home"), frontend("Product"), frontend("Home"),
      frontend("AddToCart"), frontend("Product"), frontend("ViewCart"), frontend("SetCurrency"),
      frontend("Product"), frontend("PlaceOrder"), frontend("Home"), frontend("ViewCart"), frontend("EmptyCart"));

  /** Every service of the app that serves gRPC, with its methods and their downstream calls. */
  static List<Service> services() {
    return List.of(
        service(FRONTEND, "frontend.Shop",
            "Home", List.of(currency("GetSupportedCurrencies"), catalog("ListProducts"), cart("GetCart"),
                currency("Convert"), ADS),
            "Product", List.of(catalog("GetProduct"), currency("GetSupportedCurrencies"), cart("GetCart"),
                currency("Convert"), RECOMMEND, ADS),
            "AddToCart", List.of(catalog("GetProduct"), cart("AddItem")),
            "ViewCart", List.of(currency("GetSupportedCurrencies"), cart("GetCart"), RECOMMEND,
                shipping("GetQuote"), catalog("GetProduct"), currency("Convert")),
            "SetCurrency", List.of(),
            "PlaceOrder", List.of(CHECKOUT, RECOMMEND, currency("GetSupportedCurrencies")),
            "EmptyCart", List.of(cart("EmptyCart"))),
        service("checkoutservice", "hipstershop.CheckoutService",
            "PlaceOrder", List.of(cart("GetCart"), catalog("GetProduct"), currency("Convert"), shipping("GetQuote"),
                CHARGE, shipping("ShipOrder"), cart("EmptyCart"), EMAIL)),
        service("recommendationservice", "hipstershop.RecommendationService",
            "ListRecommendations", List.of(catalog("ListProducts"))),
        service("cartservice", "hipstershop.CartService",
            "AddItem", List.of(), "GetCart", List.of(), "EmptyCart", List.of()),
        service("productcatalogservice", "hipstershop.ProductCatalogService",
            "ListProducts", List.of(), "GetProduct", List.of(), "SearchProducts", List.of()),
        service("currencyservice", "hipstershop.CurrencyService",
            "GetSupportedCurrencies", List.of(), "Convert", List.of()),
        service("shippingservice", "hipstershop.ShippingService", "GetQuote", List.of(), "ShipOrder", List.of()),
        service(PAYMENT, "hipstershop.PaymentService", "Charge", List.of()),
        service("emailservice", "hipstershop.EmailService", "SendOrderConfirmation", List.of()),
        service("adservice", "hipstershop.AdService", "GetAds", List.of()));
  }

  @SuppressWarnings("unchecked")
  private static Service service(String workload, String grpcService, Object... methodsAndCalls) {
    Map<String, List<Call>> methods = new LinkedHashMap<>();
    for (int i = 0; i < methodsAndCalls.length; i += 2) {
      methods.put((String) methodsAndCalls[i], (List<Call>) methodsAndCalls[i + 1]);
    }
    return new Service(workload, grpcService, methods);
  }
}
