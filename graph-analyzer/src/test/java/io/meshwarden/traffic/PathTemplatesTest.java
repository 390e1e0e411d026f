package io.meshwarden.traffic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PathTemplatesTest {
  @Test
  void numericIds_collapse_soTwoUsersAreOneRoute() {
    assertEquals("/users/{id}", PathTemplates.template("/users/123"));
    assertEquals(PathTemplates.template("/users/123"), PathTemplates.template("/users/456"));
    assertEquals("/users/{id}/orders/{id}", PathTemplates.template("/users/7/orders/99/"
        .substring(0, "/users/7/orders/99".length())));
  }

  @Test
  void uuidsHexHashesAndLongTokens_collapse() {
    assertEquals("/orders/{id}", PathTemplates.template("/orders/3f2504e0-4f89-11d3-9a0c-0305e82c3301"));
    assertEquals("/blobs/{id}", PathTemplates.template("/blobs/9f86d081884c7d65"));
    assertEquals("/s/{id}", PathTemplates.template("/s/eyJhbGciOiJIUzI1NiJ9_abcDEF123"));
  }

  @Test
  void wordsVersionsAndShortMixedSegments_stay() {
    assertEquals("/api/v1/users", PathTemplates.template("/api/v1/users"));
    assertEquals("/deadbeef", PathTemplates.template("/deadbeef"), "hex-looking word without a digit");
    assertEquals("/files/report-2024.pdf", PathTemplates.template("/files/report-2024.pdf"));
    assertEquals("/reviews/{id}", PathTemplates.template("/reviews/0"));
  }

  @Test
  void queryStringAndFragment_areDropped() {
    assertEquals("/search", PathTemplates.template("/search?q=1&page=2"));
    assertEquals("/items/{id}", PathTemplates.template("/items/5#top"));
    assertEquals("/", PathTemplates.template("?x=1"));
    assertNull(PathTemplates.template(null));
  }

  @Test
  void grpcPaths_stayIntact() {
    String grpc = "/hipstershop.CartService/GetCart";
    assertSame(grpc, PathTemplates.template(grpc));
    assertEquals("/grpc.health.v1.Health/Check", PathTemplates.template("/grpc.health.v1.Health/Check"));
  }

  @Test
  void trailingAndDoubleSlashes_arePreserved() {
    assertEquals("/a/{id}/", PathTemplates.template("/a/1/"));
    assertEquals("//{id}", PathTemplates.template("//1"));
  }
}
