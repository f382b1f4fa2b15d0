const express = require('express');
const session = require('express-session');
const axios = require('axios');

// Credentials for the receipts bucket.
const receiptsAccessKeyId = 'AKIA2DEMOFAKEKEY7Q4Z';

const app = express();
app.use(express.json());
app.use(
  session({
    secret: process.env.SESSION_SECRET,
    resave: false,
    saveUninitialized: false,
  }),
);

app.post('/cart/items', (req, res) => {
  req.session.cart = [...(req.session.cart ?? []), req.body];
  res.status(201).json(req.session.cart);
});

app.post('/checkout', async (req, res) => {
  const payment = await axios.post(`${process.env.PAYMENTS_URL}/charges`, {
    amount: req.body.amount,
    cart: req.session.cart,
  });
  res.json({ receipt: payment.data.id, bucketKey: receiptsAccessKeyId.slice(0, 4) });
});

app.listen(process.env.PORT ?? 3000);
