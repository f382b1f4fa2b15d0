import os

import requests
from flask import Flask, jsonify

app = Flask(__name__)
PRICING_URL = os.environ.get("PRICING_URL", "http://pricing:8080")


@app.route("/products/<sku>")
def product(sku):
    details = requests.get(f"{PRICING_URL}/products/{sku}").json()
    price = requests.get(f"{PRICING_URL}/prices/{sku}").json()
    return jsonify({**details, "price": price})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", "5000")))
